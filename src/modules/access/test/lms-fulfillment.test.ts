import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../../../../test/support/stand-in-lms.js';
import { findJob, runJob } from '../../../jobs.js';
import { verifyLedgers } from '../../ledger/index.js';
import { accessWorld } from './fixtures.js';

/**
 * Redemptions fulfilled by an Open edX LMS (a stand-in speaking its contract on loopback): the
 * spend is reserved in one short transaction, the LMS is asked with no lock held, and the answer
 * settles the spend.
 */
let lms: StandInLms;
let t: TestApp;
let as: Awaited<ReturnType<typeof personas>>;
let w: Awaited<ReturnType<typeof accessWorld>>;

beforeEach(async () => {
  lms = await startStandInLms();
  t = await testApp({
    config: {
      lms: lmsConfigOf(lms, 400),
    },
  });
  as = await personas(t);
  w = await accessWorld(t, as.staff ?? '');
});
afterEach(async () => {
  expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
  await t.close();
  await lms.close();
});

const learner = (id: number) => t.token({ userId: id, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
const redeem = async (policyUuid: string, id = 101, contentKey = w.run.key) =>
  t.request({
    method: 'POST',
    url: `/access/api/v1/policy-redemption/${policyUuid}/redeem/`,
    payload: { content_key: contentKey },
    as: await learner(id),
  });
const transactions = () =>
  t.db.kysely
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('kind', '=', 'spend')
    .orderBy('created')
    .execute();
const enrollments = () => t.db.kysely.selectFrom('enrollments').selectAll().execute();
const attempts = () => t.db.kysely.selectFrom('redemption_attempts').selectAll().orderBy('created').execute();
async function balance(): Promise<number> {
  const staff = await t.token({ userId: 901, isStaff: true });
  const res = await t.request({
    method: 'GET',
    url: `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/`,
    as: staff,
  });
  return res.json().current_balance;
}
async function reconcile() {
  const job = findJob('fail-stale-transactions');
  if (!job) throw new Error('no fail-stale-transactions job');
  const run = await runJob(t.app.campus, job);
  if (!run.ran) throw new Error('the job did not run');
  return run.result;
}

describe('redemption fulfilled by the LMS', () => {
  it('enrolls the learner in the LMS and commits the spend to its fulfillment', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const before = await balance();
    const res = await redeem(policy.uuid);
    expect(res.statusCode, res.body).toBe(201);
    const [tx] = await transactions();
    const enrolled = lms.enrollments.get(tx?.uuid ?? '');
    expect(enrolled).toMatchObject({ customerUuid: ENTERPRISE_A, userId: 101, courseRunKey: w.run.key });
    expect(res.json()).toMatchObject({
      uuid: tx?.uuid,
      state: 'committed',
      fulfillment_identifier: enrolled?.fulfillmentUuid,
      quantity: -10_000,
    });
    expect(await enrollments()).toEqual([
      expect.objectContaining({ transaction_uuid: tx?.uuid, course_run_key: w.run.key, is_active: true }),
    ]);
    expect(await balance()).toBe(before - 10_000);
    expect((await attempts()).map((a) => a.outcome)).toEqual(['redeemed']);
    // Redeeming again hands the same redemption back: no second ask of the LMS, no second charge.
    const again = await redeem(policy.uuid);
    expect(again.statusCode).toBe(200);
    expect(again.json().uuid).toBe(tx?.uuid);
    expect(lms.callsTo('enroll')).toHaveLength(1);
  });

  it("never lets a learner's own metadata force the LMS enrollment: allow_late_enrollment is Campus's to set", async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
      payload: { content_key: w.run.key, metadata: { allow_late_enrollment: true, note: 'kept' } },
      as: await learner(101),
    });
    expect(res.statusCode, res.body).toBe(201);
    const [tx] = await transactions();
    expect(lms.enrollments.get(tx?.uuid ?? '')).toMatchObject({ forceEnrollment: false });
    expect(tx?.metadata).toEqual({ note: 'kept' });

    // The policy's own late-redemption window is what forces it.
    const latePolicy = await w.policy('PerLearnerSpendCreditAccessPolicy', {
      per_learner_spend_limit: 50_000,
      late_redemption_allowed_until: new Date('2026-06-08T00:00:00Z'),
    });
    const late = await redeem(latePolicy.uuid, 102);
    expect(late.statusCode, late.body).toBe(201);
    expect(lms.enrollments.get(late.json().uuid)).toMatchObject({ forceEnrollment: true });
  });

  it('fails the spend and charges nothing when the LMS refuses; the learner may try again', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const before = await balance();
    lms.next('enroll', { kind: 'status', status: 400, body: { detail: 'course run not found' } });
    const refused = await redeem(policy.uuid);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error_code: 'enrollment_error' });
    expect((await transactions()).map((tx) => tx.state)).toEqual(['failed']);
    expect(await enrollments()).toEqual([]);
    expect(await balance()).toBe(before);
    expect(await attempts()).toEqual([
      expect.objectContaining({ outcome: 'error', reason: 'enrollment_error' }),
    ]);

    const retried = await redeem(policy.uuid);
    expect(retried.statusCode).toBe(201);
    expect((await transactions()).map((tx) => tx.state)).toEqual(['failed', 'committed']);
    expect(await balance()).toBe(before - 10_000);
  });

  it('asks again at once when the answer was lost after the LMS enrolled: one enrollment, committed', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    lms.next('enroll', { kind: 'answer-lost' });
    const res = await redeem(policy.uuid);
    expect(res.statusCode).toBe(201);
    expect(res.json().state).toBe('committed');
    expect(lms.callsTo('enroll')).toHaveLength(2);
    expect(lms.enrollments.size).toBe(1);
  });

  it('leaves the spend pending (reserved) when the LMS cannot say, and settles it when asked again later', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const before = await balance();
    lms.next('enroll', { kind: 'hang' }, 2);
    const res = await redeem(policy.uuid);
    // The learner portal polls a pending transaction's status until it is committed or failed.
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ state: 'pending', fulfillment_identifier: null });
    expect(res.json().transaction_status_api_url).toMatch(new RegExp(`/transactions/${res.json().uuid}/$`));
    expect(await balance()).toBe(before - 10_000);
    // Still in flight: a second redeem is told so, not charged again.
    const meanwhile = await redeem(policy.uuid);
    expect(meanwhile.statusCode).toBe(409);
    expect(meanwhile.json().error_code).toBe('redemption_in_progress');

    // Not yet stale: the sweep leaves it alone.
    expect(await reconcile()).toMatchObject({ reconciled: { checked: 0 } });
    t.clock.advance(16 * 60_000);
    expect(await reconcile()).toMatchObject({ failed: 0, reconciled: { checked: 1, committed: 1 } });
    const [tx] = await transactions();
    expect(tx).toMatchObject({
      state: 'committed',
      fulfillment_identifier: lms.enrollments.get(tx?.uuid ?? '')?.fulfillmentUuid,
    });
    expect(await enrollments()).toHaveLength(1);
    expect(await balance()).toBe(before - 10_000);
  });

  it('fails a stale pending spend only when the LMS says it did nothing', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const before = await balance();
    lms.next('enroll', { kind: 'status', status: 503 }, 2);
    expect((await redeem(policy.uuid)).json().state).toBe('pending');
    t.clock.advance(16 * 60_000);
    // Still down: still pending, still reserved.
    lms.next('enroll', { kind: 'status', status: 502 }, 2);
    expect(await reconcile()).toMatchObject({ reconciled: { checked: 1, pending: 1 } });
    expect(await balance()).toBe(before - 10_000);
    // The LMS now refuses: failed, released, the attempt an error.
    lms.refuseCourseRun(w.run.key);
    expect(await reconcile()).toMatchObject({ reconciled: { checked: 1, failed: 1 } });
    expect((await transactions()).map((tx) => tx.state)).toEqual(['failed']);
    expect(await balance()).toBe(before);
    expect(await attempts()).toEqual([
      expect.objectContaining({ outcome: 'error', reason: 'enrollment_error' }),
    ]);
  });

  it("fulfils the subsidy API's operator redemptions through the LMS too", async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const operatorRedeem = (lmsUserId: number) =>
      t.request({
        method: 'POST',
        url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/transactions/`,
        payload: { lms_user_id: lmsUserId, content_key: w.run.key, subsidy_access_policy_uuid: policy.uuid },
        as: as.operator,
      });
    const made = await operatorRedeem(201);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      state: 'committed',
      fulfillment_identifier: lms.enrollments.get(made.json().uuid)?.fulfillmentUuid,
    });
    lms.next('enroll', { kind: 'status', status: 409, body: { detail: 'no' } });
    const refused = await operatorRedeem(202);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error_code: 'enrollment_error' });
    const failed = await t.db.kysely
      .selectFrom('ledger_transactions')
      .select('state')
      .where('uuid', '=', refused.json().transaction_uuid)
      .executeTakeFirstOrThrow();
    expect(failed.state).toBe('failed');
  });

  it('ends the LMS enrollment of a redemption refunded in Campus, even when the LMS is down at the time', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const made = (await redeem(policy.uuid)).json();
    const fulfillment = made.fulfillment_identifier as string;
    const reversed = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/transactions/${made.uuid}/reverse/`,
      payload: {},
      as: as.operator,
    });
    expect(reversed.statusCode, reversed.body).toBeLessThan(300);
    const queued = () =>
      t.db.kysely
        .selectFrom('lms_cancellations')
        .selectAll()
        .where('transaction_uuid', '=', made.uuid)
        .execute();
    expect(await queued()).toEqual([
      expect.objectContaining({ fulfillment_uuid: fulfillment, done_at: null }),
    ]);

    const cancel = async () => {
      const run = await runJob(
        t.app.campus,
        findJob('cancel-lms-fulfillments') as NonNullable<ReturnType<typeof findJob>>,
      );
      if (!run.ran) throw new Error('the job did not run');
      return run.result;
    };
    lms.next('cancel', { kind: 'status', status: 503 });
    expect(await cancel()).toMatchObject({ due: 1, retrying: 1, cancelled: 0 });
    expect(lms.byFulfillment(fulfillment)?.cancelledAt).toBeNull();
    // Not due again before its wait (a minute after the first failure) is over.
    expect(await cancel()).toMatchObject({ due: 0 });
    t.clock.advance(61_000);
    expect(await cancel()).toMatchObject({ due: 1, cancelled: 1 });
    expect(lms.byFulfillment(fulfillment)?.cancelledAt).not.toBeNull();
    expect(lms.cancelCalls(fulfillment)).toBe(2);
    expect(await queued()).toEqual([expect.objectContaining({ attempts: 2, done_at: expect.any(Date) })]);
    expect(await cancel()).toMatchObject({ due: 0 });
  });

  it("queues the LMS's cancellation when the learner unenrolls in Campus, refunded or not", async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    const inWindow = (await redeem(policy.uuid, 101)).json();
    const late = (await redeem(policy.uuid, 102)).json();
    const unenroll = async (id: number, transactionUuid: string) => {
      const [enrollment] = (await enrollments()).filter((e) => e.transaction_uuid === transactionUuid);
      const left = await t.request({
        method: 'POST',
        url: `/enterprise/api/v1/enrollments/${enrollment?.uuid}/unenroll/`,
        as: await learner(id),
      });
      expect(left.statusCode, left.body).toBe(200);
      return left.json();
    };
    expect(await unenroll(101, inWindow.uuid)).toMatchObject({ refunded: true });
    // Fifteen days on, past the refund window: no refund, but the LMS enrollment ends all the same.
    t.clock.advance(15 * 86_400_000);
    expect(await unenroll(102, late.uuid)).toMatchObject({ refunded: false });
    const queued = await t.db.kysely.selectFrom('lms_cancellations').selectAll().orderBy('created').execute();
    expect(queued.map((q) => [q.transaction_uuid, q.fulfillment_uuid])).toEqual([
      [inWindow.uuid, inWindow.fulfillment_identifier],
      [late.uuid, late.fulfillment_identifier],
    ]);
  });

  it('holds no lock while the LMS is asked: a slow answer for one learner delays no other', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 50_000 });
    lms.next('enroll', { kind: 'slow', ms: 300 });
    const finished: number[] = [];
    const slow = redeem(policy.uuid, 101).then((r) => {
      finished.push(101);
      return r;
    });
    // Learner 102 starts once 101's spend is reserved (its LMS call under way) and ends first.
    await waitFor(() => lms.callsTo('enroll').length === 1);
    const quick = await redeem(policy.uuid, 102);
    finished.push(102);
    expect(quick.statusCode).toBe(201);
    expect((await slow).statusCode).toBe(201);
    expect(finished).toEqual([102, 101]);
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!done()) throw new Error('waited in vain');
}
