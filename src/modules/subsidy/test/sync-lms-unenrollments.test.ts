import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { enrolledLearnerWorld } from '../../../../test/support/enrolled-learner.js';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../../../../test/support/stand-in-lms.js';
import { findJob, runJob } from '../../../jobs.js';
import { verifyLedgers } from '../../ledger/index.js';

let lms: StandInLms;
let t: TestApp;
let w: Awaited<ReturnType<typeof enrolledLearnerWorld>>;
let as: Awaited<ReturnType<typeof personas>>;

beforeEach(async () => {
  lms = await startStandInLms();
  t = await testApp({
    config: {
      lms: lmsConfigOf(lms, 2_000),
    },
  });
  // Learner 101 redeems the world's run (start 2026-05-20) at 2026-06-01T12:00Z, enrolled by the
  // stand-in LMS: refundable
  // until 14 days after the redemption, 2026-06-15T12:00Z (exclusive).
  as = await personas(t);
  w = await enrolledLearnerWorld(t, as);
});
afterEach(async () => {
  expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
  await t.close();
  await lms.close();
});

const redemption = () =>
  t.db.kysely
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('kind', '=', 'spend')
    .where('lms_user_id', '=', 101)
    .executeTakeFirstOrThrow();
const reversals = () => t.db.kysely.selectFrom('ledger_reversals').selectAll().execute();
const enrollment = () =>
  t.db.kysely.selectFrom('enrollments').selectAll().where('lms_user_id', '=', 101).executeTakeFirstOrThrow();
async function balance(): Promise<number> {
  // Signed now: the tests move the clock past the personas' tokens.
  const staff = await t.token({ userId: 901, isStaff: true });
  const res = await t.request({
    method: 'GET',
    url: `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/`,
    as: staff,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().current_balance;
}

/** The LMS lists learner 101's unenrollment (the world's redemption went through the stand-in LMS). */
async function unenrolledInLms(at: string, ids: { transaction?: string; fulfillment?: string } = {}) {
  const tx = await redemption();
  lms.addUnenrollment({
    uuid: ids.fulfillment ?? (tx.fulfillment_identifier as string),
    transaction_id: ids.transaction ?? tx.uuid,
    enterprise_course_enrollment: {
      enterprise_customer_user: 7,
      course_id: w.run.key,
      created: tx.created.toISOString(),
      unenrolled_at: at,
    },
  });
  return tx;
}

async function sync(options: { dryRun?: boolean } = {}) {
  const job = findJob('sync-lms-unenrollments');
  if (!job) throw new Error('no sync-lms-unenrollments job');
  const run = await runJob(t.app.campus, job, options);
  if (!run.ran) throw new Error('the job did not run');
  return run.result;
}

describe('campus jobs sync-lms-unenrollments', () => {
  it('refunds a learner who unenrolled in the LMS inside the window, once however often it runs', async () => {
    t.clock.set('2026-06-10T00:00:00Z');
    const tx = await unenrolledInLms('2026-06-09T08:00:00+00:00');
    expect(await sync({ dryRun: true })).toMatchObject({ seen: 1, refunded: 1, dryRun: true });
    expect(await reversals()).toEqual([]);
    const before = await balance();

    expect(await sync()).toMatchObject({
      seen: 1,
      refunded: 1,
      items: [
        { transaction_uuid: tx.uuid, fulfillment_uuid: tx.fulfillment_identifier, outcome: 'refunded' },
      ],
    });
    const [reversal, ...more] = await reversals();
    expect(more).toEqual([]);
    expect(reversal).toMatchObject({
      transaction_uuid: tx.uuid,
      idempotency_key: `unenrollment-reversal-${tx.fulfillment_identifier}-2026-06-09T08:00:00.000Z`,
    });
    expect(await balance()).toBe(before - tx.quantity);
    expect(await enrollment()).toMatchObject({
      is_active: false,
      unenrolled_at: new Date('2026-06-09T08:00:00Z'),
    });
    // The LMS was asked for a week back from now (enterprise-subsidy's window).
    expect(lms.callsTo('unenrolled').at(-1)?.query).toEqual({ unenrolled_after: '2026-06-03T00:00:00.000Z' });

    // The learner left in the LMS: nothing to cancel there.
    expect(await t.db.kysely.selectFrom('lms_cancellations').selectAll().execute()).toEqual([]);
    // The next runs find the reversal and change nothing.
    expect(await sync()).toMatchObject({ refunded: 0, already_reversed: 1 });
    expect(await reversals()).toHaveLength(1);
  });

  it('ends the enrollment without a refund at 14 days (the boundary is too late)', async () => {
    t.clock.set('2026-06-16T00:00:00Z');
    await unenrolledInLms('2026-06-15T12:00:00Z');
    const before = await balance();
    expect(await sync()).toMatchObject({ seen: 1, not_refundable: 1, refunded: 0 });
    expect(await reversals()).toEqual([]);
    expect(await balance()).toBe(before);
    expect(await enrollment()).toMatchObject({ is_active: false });
  });

  it("leaves alone what it cannot match: another's fulfillment, an unknown or malformed transaction id", async () => {
    t.clock.set('2026-06-10T00:00:00Z');
    await unenrolledInLms('2026-06-09T08:00:00Z', { transaction: '99999999-0000-4000-8000-000000000009' });
    await unenrolledInLms('2026-06-09T08:00:00Z', { transaction: 'not-a-uuid' });
    // The transaction was fulfilled by another LMS fulfillment than the one listed.
    await unenrolledInLms('2026-06-09T08:00:00Z', { fulfillment: 'f0f0f0f0-0000-4000-8000-000000000002' });
    expect(await sync()).toMatchObject({ seen: 3, unmatched: 3, refunded: 0 });
    expect(await reversals()).toEqual([]);
    expect(await enrollment()).toMatchObject({ is_active: true });
  });

  it('fails the run with the reason when the LMS cannot answer, changing nothing', async () => {
    t.clock.set('2026-06-10T00:00:00Z');
    await unenrolledInLms('2026-06-09T08:00:00Z');
    lms.next('unenrolled', { kind: 'status', status: 502 });
    await expect(sync()).rejects.toThrow(/502/);
    expect(await reversals()).toEqual([]);
    expect(await sync()).toMatchObject({ refunded: 1 });
  });

  it('is not scheduled without an LMS, and says why when run', async () => {
    const plain = await testApp();
    try {
      const job = findJob('sync-lms-unenrollments');
      expect(job?.enabled(plain.app.campus)).toBe(false);
      expect(job?.enabled(t.app.campus)).toBe(true);
      await expect(runJob(plain.app.campus, job as NonNullable<typeof job>)).rejects.toThrow(
        /LMS_URL is not set/,
      );
    } finally {
      await plain.close();
    }
  });
});
