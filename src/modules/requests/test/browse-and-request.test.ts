import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { findJob, runJob } from '../../../jobs.js';
import { reverseTransaction } from '../../ledger/index.js';
import { requestCountMismatches } from '../request-counts.repository.js';
import { POLICIES, REQUESTS, requestsWorld } from './fixtures.js';

let t: TestApp;
let as: Awaited<ReturnType<typeof personas>>;

beforeEach(async () => {
  t = await testApp();
  as = await personas(t);
});
afterEach(async () => {
  // Every scenario leaves the admin list's counts in step with the requests.
  expect(await requestCountMismatches(t.db.kysely)).toEqual([]);
  await t.close();
});

const assignment = (uuid: string) =>
  t.db.kysely
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('uuid', '=', uuid)
    .executeTakeFirstOrThrow();

const actionsOf = (requestUuid: string) =>
  t.db.kysely
    .selectFrom('learner_credit_request_actions')
    .select(['recent_action', 'status', 'error_reason'])
    .where('learner_credit_request_uuid', '=', requestUuid)
    .orderBy('created')
    .orderBy('uuid')
    .execute();

async function job(name: string) {
  const j = findJob(name);
  if (!j) throw new Error(`no job ${name}`);
  const r = await runJob(t.app.campus, j, {});
  if (!r.ran) throw new Error(`${name} did not run`);
  return r.result;
}

describe('browse & request, learner to redemption (D21, D22)', () => {
  it('can-request → request → list/overview → approve → redeem → accepted', async () => {
    const w = await requestsWorld(t, as);
    expect(w.policy.bnr_enabled).toBe(true);
    expect(w.policy.assignment_configuration).not.toBeNull();

    const canRequest = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-request/?content_key=${encodeURIComponent(w.course.key)}`,
      as: as.learnerA,
    });
    expect(canRequest.statusCode).toBe(200);
    expect(canRequest.json()).toMatchObject({
      content_key: w.course.key,
      can_request: true,
      reason: null,
      requestable_subsidy_access_policy: { uuid: w.policy.uuid },
    });

    const created = await w.ask(as.learnerA);
    expect(created.statusCode).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({
      state: 'requested',
      email: 'learner.a@example.com',
      lms_user_id: 101,
      course_id: w.course.key,
      course_price: 10_000,
      assignment: null,
      learner_request_state: 'requested',
      latest_action: { recent_action: 'requested', status: 'Requested', error_reason: null },
    });

    const again = await w.ask(as.learnerA);
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toBe(
      `You already have an active learner credit request for course ${w.course.key} under policy UUID: ${w.policy.uuid}.`,
    );
    const blocked = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-request/?content_key=${encodeURIComponent(w.course.key)}`,
      as: as.learnerA,
    });
    expect(blocked.json()).toMatchObject({ can_request: false, existing_request: request.uuid });

    const list = await t.request({
      method: 'GET',
      url: `${REQUESTS}/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}&page=1&page_size=10&state=requested,declined,cancelled,errored`,
      as: as.adminA,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ count: 1, num_pages: 1, results: [{ uuid: request.uuid }] });
    const overview = await t.request({
      method: 'GET',
      url: `${REQUESTS}/overview/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`,
      as: as.adminA,
    });
    expect(overview.json()).toEqual([{ state: 'requested', count: 1 }]);
    const hiddenFromB = await t.request({ method: 'GET', url: `${REQUESTS}/`, as: as.learnerB });
    expect(hiddenFromB.json().count).toBe(0);

    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [request.uuid],
      policy_uuid: w.policy.uuid,
      enterprise_customer_uuid: ENTERPRISE_A,
    });
    expect(approved.statusCode).toBe(200);
    const done = approved.json().approved[0];
    expect(done).toMatchObject({
      state: 'approved',
      reviewer_lms_user_id: 102,
      learner_request_state: 'waiting',
      latest_action: { recent_action: 'approved', status: 'Waiting For Learner' },
    });
    expect(done.reviewed_at).toBe(t.clock.now().toISOString());
    const allocated = await assignment(done.assignment);
    expect(allocated).toMatchObject({
      state: 'allocated',
      content_quantity: -10_000,
      content_key: w.course.key,
      learner_email: 'learner.a@example.com',
      assignment_configuration_uuid: w.policy.assignment_configuration?.uuid,
    });
    expect(await w.outbox('requests.approved')).toEqual([
      expect.objectContaining({ to_address: 'learner.a@example.com' }),
    ]);
    // B&R approval sends no assignment email (reference).
    expect(await w.outbox('assignments.assigned')).toEqual([]);

    const policyView = await t.request({
      method: 'GET',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.adminA,
    });
    expect(policyView.json().aggregates).toMatchObject({
      amount_allocated_usd_cents: 10_000,
      spend_available_usd_cents: 40_000,
    });

    const credits = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=101`,
      as: as.learnerA,
    });
    const entry = credits.json().find((p: { uuid: string }) => p.uuid === w.policy.uuid);
    expect(entry.learner_requests).toEqual([
      expect.objectContaining({ uuid: request.uuid, state: 'approved', assignment: done.assignment }),
    ]);

    const canRedeem = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?content_key=${encodeURIComponent(w.run.key)}`,
      as: as.learnerA,
    });
    expect(canRedeem.json()[0]).toMatchObject({
      can_redeem: true,
      list_price: { usd_cents: 10_000 },
      redeemable_subsidy_access_policy: { uuid: w.policy.uuid },
    });
    const otherLearner = await w.learnerToken(103, 'learner.c@example.com');
    const refused = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${w.policy.uuid}/redeem/`,
      payload: { content_key: w.run.key },
      as: otherLearner,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error_code).toBe('reason_learner_not_assigned_content');

    const redeemed = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${w.policy.uuid}/redeem/`,
      payload: { content_key: w.run.key },
      as: as.learnerA,
    });
    expect(redeemed.statusCode).toBeLessThan(300);
    expect(redeemed.json()).toMatchObject({ state: 'committed', quantity: -10_000 });
    expect(await assignment(done.assignment)).toMatchObject({ state: 'accepted' });
    const after = await t.request({ method: 'GET', url: `${REQUESTS}/${request.uuid}/`, as: as.learnerA });
    expect(after.json()).toMatchObject({
      state: 'accepted',
      learner_request_state: null,
      latest_action: { recent_action: 'accepted', status: 'Redeemed By Learner' },
    });

    // D23: cancel after redemption is refused, with a failed_cancellation action.
    t.clock.advance(1_000);
    const cancel = await w.post(as.adminA, 'cancel', { request_uuid: request.uuid });
    expect(cancel.statusCode).toBe(422);
    expect(cancel.json().detail).toBe(
      `Failed to cancel associated assignment with uuid: ${done.assignment} for request: ${request.uuid}.`,
    );
    expect((await actionsOf(request.uuid)).at(-1)).toEqual({
      recent_action: 'cancelled',
      status: 'Redeemed By Learner',
      error_reason: 'failed_cancellation',
    });
    expect(await assignment(done.assignment)).toMatchObject({ state: 'accepted' });
    const failedState = await t.request({
      method: 'GET',
      url: `${REQUESTS}/${request.uuid}/`,
      as: as.adminA,
    });
    expect(failedState.json()).toMatchObject({ state: 'accepted', learner_request_state: 'failed' });

    // A refund reverses the assignment; the request follows as reversed ("Refunded").
    t.clock.advance(60_000);
    await t.db.transaction((trx) =>
      reverseTransaction(t.app.campus, trx, {
        transactionUuid: redeemed.json().uuid,
        idempotencyKey: 'refund-1',
      }),
    );
    await job('sync-reversed-assignments');
    const reversed = await t.request({ method: 'GET', url: `${REQUESTS}/${request.uuid}/`, as: as.adminA });
    expect(reversed.json()).toMatchObject({
      state: 'reversed',
      latest_action: { recent_action: 'reversed', status: 'Refunded' },
    });
    // A reversed request is reused when the learner asks again.
    const reused = await w.ask(as.learnerA);
    expect(reused.statusCode).toBe(200);
    expect(reused.json()).toMatchObject({
      uuid: request.uuid,
      state: 'requested',
      assignment: null,
      reviewed_at: null,
    });
  });

  it('refuses a request on a policy without browse & request (400) and for another enterprise (403)', async () => {
    const w = await requestsWorld(t, as);
    const off = await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.operator,
      payload: { bnr_enabled: false },
    });
    expect(off.json().bnr_enabled).toBe(false);
    const refused = await w.ask(as.learnerA);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain(
      `Browse & Request is not active for policy UUID: ${w.policy.uuid}.`,
    );
    await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.operator,
      payload: { bnr_enabled: true },
    });
    expect((await w.ask(as.learnerB)).statusCode).toBe(403);
    expect((await w.ask(as.adminB)).statusCode).toBe(403);
    const strict = await t.request({
      method: 'POST',
      url: `${REQUESTS}/`,
      as: as.learnerA,
      payload: { policy_uuid: w.policy.uuid, course_id: w.course.key, course_price: 1, surprise: true },
    });
    expect(strict.statusCode).toBe(400);
    expect(strict.json().error_code).toBe('validation_failed');
    const count = await t.db.kysely
      .selectFrom('learner_credit_requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('lets a learner who joined by invitation (a membership, no role claim) ask; approval records them by id', async () => {
    const w = await requestsWorld(t, as);
    const invited = await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      payload: { emails: ['joiner@example.com'] },
      as: as.adminA,
    });
    expect(invited.json()).toEqual({ linked: [], pending: ['joiner@example.com'] });
    const joiner = await t.token({ userId: 3701, username: 'joiner', email: 'joiner@example.com' });
    const asked = await w.ask(joiner);
    expect(asked.statusCode).toBe(201);
    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [asked.json().uuid],
      policy_uuid: w.policy.uuid,
    });
    expect(approved.statusCode).toBe(200);
    const done = approved.json().approved[0];
    expect(await assignment(done.assignment)).toMatchObject({
      learner_email: 'joiner@example.com',
      lms_user_id: 3701,
    });
  });

  it('refuses approve-all (and approve) naming another enterprise with 422 enterprise_mismatch, approving nothing', async () => {
    const w = await requestsWorld(t, as);
    const asked = (await w.ask(as.learnerA)).json();
    const all = await w.post(as.adminA, 'approve-all', {
      policy_uuid: w.policy.uuid,
      enterprise_customer_uuid: ENTERPRISE_B,
    });
    expect(all.statusCode).toBe(422);
    expect(all.json().error_code).toBe('enterprise_mismatch');
    const some = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [asked.uuid],
      policy_uuid: w.policy.uuid,
      enterprise_customer_uuid: ENTERPRISE_B,
    });
    expect(some.statusCode).toBe(422);
    expect(some.json().error_code).toBe('enterprise_mismatch');
    const states = await t.db.kysely.selectFrom('learner_credit_requests').select('state').execute();
    expect(states.map((r) => r.state)).toEqual(['requested']);
    const matching = await w.post(as.adminA, 'approve-all', {
      policy_uuid: w.policy.uuid,
      enterprise_customer_uuid: ENTERPRISE_A.toUpperCase(),
    });
    expect(matching.statusCode).toBe(202);
  });

  it("refuses Object.prototype's names as an ordering with 400, not 500", async () => {
    for (const field of [
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '-constructor',
    ]) {
      const res = await t.request({ method: 'GET', url: `${REQUESTS}/?ordering=${field}`, as: as.learnerA });
      expect(res.statusCode, field).toBe(400);
      expect(res.json()).toMatchObject({ error_code: 'validation_failed' });
    }
    expect(
      (await t.request({ method: 'GET', url: `${REQUESTS}/?ordering=-created`, as: as.learnerA })).statusCode,
    ).toBe(200);
  });
});

describe("the admin portal's request table", () => {
  it('sorts by the column names it sends as they are (requestDate, requestStatus, requestDetails)', async () => {
    const w = await requestsWorld(t, as);
    const emails = ['b.second@example.com', 'a.third@example.com', 'c.first@example.com'];
    const uuids: string[] = [];
    for (const [i, email] of emails.entries()) {
      t.clock.advance(60_000);
      const asked = await w.ask(await w.learnerToken(600 + i, email));
      expect(asked.statusCode).toBe(201);
      uuids.push(asked.json().uuid);
    }
    expect((await w.post(as.adminA, 'decline', { subsidy_request_uuid: uuids[1] })).statusCode).toBe(200);
    const sorted = async (ordering: string) => {
      const res = await t.request({
        method: 'GET',
        url: `${REQUESTS}/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}&ordering=${ordering}`,
        as: as.adminA,
      });
      expect(res.statusCode, ordering).toBe(200);
      return (res.json().results as Array<{ email: string }>).map((r) => r.email);
    };
    expect(await sorted('requestDate')).toEqual(emails);
    expect(await sorted('-requestDate')).toEqual([...emails].reverse());
    expect(await sorted('requestDetails')).toEqual([...emails].sort());
    // declined before requested; the requested two newest first (the default order breaks the tie).
    expect(await sorted('requestStatus')).toEqual([
      'a.third@example.com',
      'c.first@example.com',
      'b.second@example.com',
    ]);
  });
});

describe('admin actions (D22, D23)', () => {
  it('declines a requested request with a notification; an approved one cannot be declined', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    const declined = await w.post(as.adminA, 'decline', {
      subsidy_request_uuid: r.uuid,
      enterprise_customer_uuid: ENTERPRISE_A,
      send_notification: true,
      decline_reason: 'Not in this quarter',
    });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({
      state: 'declined',
      decline_reason: 'Not in this quarter',
      learner_request_state: 'declined',
      latest_action: { recent_action: 'declined', status: 'Declined' },
    });
    const mail = await w.outbox('requests.declined');
    expect(mail).toEqual([expect.objectContaining({ to_address: 'learner.a@example.com' })]);

    // A declined request does not block a new one (201, a new row).
    const second = await w.ask(as.learnerA);
    expect(second.statusCode).toBe(201);
    expect(second.json().uuid).not.toBe(r.uuid);
    await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [second.json().uuid],
      policy_uuid: w.policy.uuid,
    });
    const again = await w.post(as.adminA, 'decline', { subsidy_request_uuid: second.json().uuid });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors.subsidy_request_uuid[0]).toBe(
      `Learner Credit Request with UUID ${second.json().uuid} cannot be declined. Current state: approved`,
    );
    expect((await w.post(as.adminB, 'decline', { subsidy_request_uuid: r.uuid })).statusCode).toBe(403);
  });

  it('declines and removes the learner from the enterprise when asked', async () => {
    const w = await requestsWorld(t, as);
    await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      as: as.operator,
      payload: { lms_user_id: 101, username: 'user101', email: 'learner.a@example.com' },
    });
    const member = () =>
      t.db.kysely
        .selectFrom('enterprise_memberships')
        .select('active')
        .where('lms_user_id', '=', 101)
        .where('enterprise_customer_uuid', '=', ENTERPRISE_A)
        .executeTakeFirst();
    expect((await member())?.active).toBe(true);
    const r = (await w.ask(as.learnerA)).json();
    const declined = await w.post(as.adminA, 'decline', {
      subsidy_request_uuid: r.uuid,
      send_notification: false,
      disassociate_from_org: true,
    });
    expect(declined.statusCode).toBe(200);
    expect(await w.outbox('requests.declined')).toEqual([]);
    expect((await member())?.active).toBe(false);
  });

  it('cancels an approved request before redemption: assignment cancelled, email, then reused', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    const assignmentUuid = approved.json().approved[0].assignment;
    const cancelled = await w.post(as.adminA, 'cancel', {
      request_uuid: r.uuid,
      enterprise_customer_uuid: ENTERPRISE_A,
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({
      state: 'cancelled',
      learner_request_state: 'cancelled',
      latest_action: { recent_action: 'cancelled', status: 'Cancelled' },
    });
    expect(await assignment(assignmentUuid)).toMatchObject({ state: 'cancelled' });
    expect(await w.outbox('requests.cancelled')).toHaveLength(1);
    expect(await w.outbox('assignments.cancelled')).toEqual([]);
    // One cancelled action: the assignment's transition found the request already cancelled.
    expect((await actionsOf(r.uuid)).map((a) => a.recent_action).sort()).toEqual([
      'approved',
      'cancelled',
      'requested',
    ]);
    const policyView = await t.request({
      method: 'GET',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.adminA,
    });
    expect(policyView.json().aggregates.amount_allocated_usd_cents).toBe(0);

    const reused = await w.ask(as.learnerA, { course_price: 9_800 });
    expect(reused.statusCode).toBe(200);
    expect(reused.json()).toMatchObject({
      uuid: r.uuid,
      state: 'requested',
      course_price: 9_800,
      assignment: null,
    });
    // Approving it again re-allocates the cancelled assignment at the new price.
    const reapproved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    expect(reapproved.statusCode).toBe(200);
    expect(reapproved.json().approved[0].assignment).toBe(assignmentUuid);
    expect(await assignment(assignmentUuid)).toMatchObject({ state: 'allocated', content_quantity: -9_800 });
  });

  it('reminds only approved requests', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    const early = await w.post(as.adminA, 'remind', { learner_credit_request_uuid: r.uuid });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors.learner_credit_request_uuid[0]).toBe(
      "Cannot send a reminder for a request in the 'requested' state. Reminders can only be sent for 'APPROVED' requests.",
    );
    await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    const reminded = await w.post(as.adminA, 'remind', {
      learner_credit_request_uuid: r.uuid,
      enterprise_customer_uuid: ENTERPRISE_A,
    });
    expect(reminded.statusCode).toBe(200);
    expect(reminded.json()).toMatchObject({
      state: 'approved',
      learner_request_state: 'waiting',
      latest_action: { recent_action: 'reminded', status: 'Waiting For Learner' },
    });
    expect(await w.outbox('requests.reminder')).toHaveLength(1);
  });

  it('approves the good requests and reports the one with a bad price (partial 422)', async () => {
    const w = await requestsWorld(t, as);
    const good = (await w.ask(as.learnerA, { course_price: 9_500 })).json();
    const bad = (
      await w.ask(await w.learnerToken(103, 'learner.c@example.com'), { course_price: 12_000 })
    ).json();
    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [good.uuid, bad.uuid],
      policy_uuid: w.policy.uuid,
    });
    expect(approved.statusCode).toBe(422);
    expect(approved.json()).toMatchObject({
      detail: '[LC REQUEST APPROVAL] Failed to approve some learner credit requests.',
      error_code: 'partial_approval',
      approved: [good.uuid],
      failed: [{ uuid: bad.uuid, reason: 'PriceValidationError' }],
    });
    expect(approved.json().failed[0].error_message).toContain('outside of acceptable interval');
    const [goodNow, badNow] = await Promise.all(
      [good.uuid, bad.uuid].map(async (u) =>
        (await t.request({ method: 'GET', url: `${REQUESTS}/${u}/`, as: as.adminA })).json(),
      ),
    );
    expect(goodNow).toMatchObject({ state: 'approved' });
    expect(badNow).toMatchObject({
      state: 'requested',
      assignment: null,
      learner_request_state: 'failed',
      latest_action: { recent_action: 'approved', status: 'Requested', error_reason: 'failed_approval' },
    });
    expect(badNow.latest_action.traceback).toContain('Validation failed with reason:');
    const failedOnly = await t.request({
      method: 'GET',
      url: `${REQUESTS}/?enterprise_customer_uuid=${ENTERPRISE_A}&learner_request_state__in=failed,declined`,
      as: as.adminA,
    });
    expect(failedOnly.json().results.map((r: { uuid: string }) => r.uuid)).toEqual([bad.uuid]);
    const unknown = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [crypto.randomUUID()],
      policy_uuid: w.policy.uuid,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses the whole batch when its total passes the spend limit, allocating nothing', async () => {
    const w = await requestsWorld(t, as, { spendLimit: 15_000 });
    const a = (await w.ask(as.learnerA)).json();
    const c = (await w.ask(await w.learnerToken(103, 'learner.c@example.com'))).json();
    const refused = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [a.uuid, c.uuid],
      policy_uuid: w.policy.uuid,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toBe(
      '[LC REQUEST APPROVAL] Failed to approve learner credit requests. Reason: policy_spend_limit_reached.',
    );
    const allocated = await t.db.kysely.selectFrom('learner_content_assignments').selectAll().execute();
    expect(allocated).toEqual([]);
    const states = await t.db.kysely.selectFrom('learner_credit_requests').select('state').execute();
    expect(states.map((s) => s.state)).toEqual(['requested', 'requested']);
    // One fits: approve-all with a filter selecting it is accepted (202).
    const one = await w.post(
      as.adminA,
      'approve-all',
      { policy_uuid: w.policy.uuid },
      `?user__email=learner.a@example.com`,
    );
    expect(one.statusCode).toBe(202);
    expect(one.json().approved.map((r: { uuid: string }) => r.uuid)).toEqual([a.uuid]);
    const none = await w.post(
      as.adminA,
      'approve-all',
      { policy_uuid: w.policy.uuid },
      `?user__email=nobody@example.com`,
    );
    expect(none.statusCode).toBe(404);
  });
});

describe('requests follow their assignments', () => {
  it('expires an approved request with its assignment, and emails the learner', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    t.clock.advance(91 * 24 * 3600_000);
    const report = await job('expire-assignments');
    expect(report.expired).toBe(1);
    const admin = await t.token({
      userId: 102,
      email: 'admin.a@example.com',
      roles: [`enterprise_admin:${ENTERPRISE_A}`],
    });
    const expired = await t.request({ method: 'GET', url: `${REQUESTS}/${r.uuid}/`, as: admin });
    expect(expired.json()).toMatchObject({
      state: 'expired',
      latest_action: { recent_action: 'expired', status: 'Expired' },
    });
    expect(await w.outbox('requests.expired')).toEqual([
      expect.objectContaining({ to_address: 'learner.a@example.com' }),
    ]);
    // One notice only: the assignment's own expiry email is not sent for a request's assignment.
    expect(await w.outbox('assignments.expired')).toEqual([]);
  });

  it('records a failed redemption on the request, which stays approved', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    const { markAssignmentErrored } = await import('../../assignments/index.js');
    await markAssignmentErrored(t.app.campus, t.db.kysely, {
      assignmentUuid: approved.json().approved[0].assignment,
      reason: 'enrollment API said no',
    });
    const after = await t.request({ method: 'GET', url: `${REQUESTS}/${r.uuid}/`, as: as.adminA });
    expect(after.json()).toMatchObject({
      state: 'approved',
      learner_request_state: 'failed',
      latest_action: { recent_action: 'accepted', error_reason: 'failed_redemption' },
    });
  });
});

describe('admin digest', () => {
  it('emails the admins once per batch of new requests', async () => {
    const w = await requestsWorld(t, as);
    await w.ask(as.learnerA);
    await w.ask(await w.learnerToken(103, 'learner.c@example.com'));
    expect(findJob('request-digest')?.everyMs).toBe(24 * 3600_000);
    expect(await job('request-digest')).toMatchObject({ customers: 1, emailed: 1, requests: 2 });
    const digests = await w.outbox('requests.new_requests_digest');
    expect(digests).toEqual([expect.objectContaining({ to_address: 'admin.a@example.com' })]);
    expect(digests[0]?.subject).toBe('2 new learner credit requests to review');
    expect(await job('request-digest')).toMatchObject({ customers: 0, emailed: 0 });
    t.clock.advance(3600_000);
    await w.ask(await w.learnerToken(104, 'learner.d@example.com'));
    expect(await job('request-digest')).toMatchObject({ customers: 1, emailed: 1, requests: 1 });
    expect(await w.outbox('requests.new_requests_digest')).toHaveLength(2);
  });
});

describe('switching browse & request', () => {
  it('lets only operators switch it, only on spend policies', async () => {
    const w = await requestsWorld(t, as);
    const byAdmin = await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.adminA,
      payload: { bnr_enabled: false },
    });
    expect(byAdmin.statusCode).toBe(403);
    const assigned = await t.request({
      method: 'POST',
      url: `${POLICIES}/`,
      as: as.operator,
      payload: {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'assigned',
        active: true,
        spend_limit: 10_000,
      },
    });
    const refused = await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${assigned.json().uuid}/`,
      as: as.operator,
      payload: { bnr_enabled: true },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error_code).toBe('bnr_not_supported');
  });

  it('keeps one subsidy type with requests enabled per customer', async () => {
    const w = await requestsWorld(t, as);
    const configs = '/access/api/v1/customer-configurations';
    const conflict = await t.request({
      method: 'POST',
      url: `${configs}/`,
      as: as.adminA,
      payload: {
        enterprise_customer_uuid: ENTERPRISE_A,
        subsidy_requests_enabled: true,
        subsidy_type: 'license',
      },
    });
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().detail).toBe(
      'Browse & Request is already enabled for learner credit. Only one subsidy type can have Browse & Request enabled at a time.',
    );
    const created = await t.request({
      method: 'POST',
      url: `${configs}/`,
      as: as.adminA,
      payload: {
        enterprise_customer_uuid: ENTERPRISE_A,
        subsidy_requests_enabled: false,
        subsidy_type: 'license',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      subsidy_requests_enabled: false,
      subsidy_type: 'license',
      changed_by_lms_user_id: 102,
    });
    await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.operator,
      payload: { bnr_enabled: false },
    });
    const enabled = await t.request({
      method: 'PATCH',
      url: `${configs}/${ENTERPRISE_A}/`,
      as: as.adminA,
      payload: { subsidy_requests_enabled: true },
    });
    expect(enabled.statusCode).toBe(200);
    const read = await t.request({ method: 'GET', url: `${configs}/${ENTERPRISE_A}/`, as: as.learnerA });
    expect(read.json()).toMatchObject({ subsidy_requests_enabled: true, subsidy_type: 'license' });
    const back = await t.request({
      method: 'PATCH',
      url: `${POLICIES}/${w.policy.uuid}/`,
      as: as.operator,
      payload: { bnr_enabled: true },
    });
    expect(back.statusCode).toBe(422);
    expect(back.json().detail).toBe(
      `Browse & Request is already enabled for license subsidy type for enterprise ${ENTERPRISE_A}. Only one subsidy type can have Browse & Request enabled at a time.`,
    );
    const missing = await t.request({
      method: 'GET',
      url: `${configs}/${crypto.randomUUID()}/`,
      as: as.operator,
    });
    expect(missing.statusCode).toBe(404);
  });
});
