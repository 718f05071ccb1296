import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../../../../test/support/stand-in-lms.js';
import { verifyLedgers } from '../../ledger/index.js';
import { redemptionBatchStats } from '../redeem.js';
import { accessWorld } from './fixtures.js';

/**
 * Many learners redeem through one policy while the LMS answers slowly: reserved in batches (group
 * commit), then each asks the LMS with no lock held. The reservations are what the limits count,
 * so no number of concurrent redemptions overspends, whatever the LMS's pace.
 */
describePg('redemptions racing through a slow LMS', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let lms: StandInLms;
  let t: TestApp;
  let w: Awaited<ReturnType<typeof accessWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 30 });
    lms = await startStandInLms();
    t = await testApp({
      db: pg.db,
      config: {
        lms: lmsConfigOf(lms, 5_000),
      },
    });
    w = await accessWorld(t, (await personas(t)).staff ?? '');
  });
  afterAll(async () => {
    await t.app.close();
    await lms.close();
    await pg.drop();
  });

  it('never overspends the policy, and the LMS and the ledger agree', async () => {
    // $500 for 100 learners asking for a $100 run at once, each LMS answer 150 ms away; some
    // answers refused: their reservations go back and others may take the places.
    const policy = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 50_000 });
    lms.delayMs = 150;
    lms.next('enroll', { kind: 'status', status: 400, body: { detail: 'refused' } }, 3);
    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.token({ userId: 80_000 + i, roles: [`enterprise_learner:${ENTERPRISE_A}`] }),
      ),
    );
    const answers = await Promise.all(
      tokens.map((token) =>
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          as: token,
        }),
      ),
    );
    for (const a of answers) expect([201, 422], a.body).toContain(a.statusCode);
    const committed = answers.filter((a) => a.statusCode === 201);
    const codes = answers.filter((a) => a.statusCode === 422).map((a) => a.json().error_code as string);
    // The three the LMS refused, and the rest refused for the limit, reservations included.
    expect(codes.filter((c) => c === 'enrollment_error')).toHaveLength(3);
    expect(new Set(codes.filter((c) => c !== 'enrollment_error'))).toEqual(
      new Set(['policy_spend_limit_reached']),
    );
    expect(committed.length).toBeGreaterThanOrEqual(2);
    expect(committed.length).toBeLessThanOrEqual(5);
    for (const a of committed) expect(a.json().state).toBe('committed');

    const spends = await t.db.kysely
      .selectFrom('ledger_transactions')
      .select(['uuid', 'state', 'quantity', 'fulfillment_identifier'])
      .where('subsidy_access_policy_uuid', '=', policy.uuid)
      .execute();
    const live = spends.filter((s) => s.state === 'committed');
    expect(live).toHaveLength(committed.length);
    expect(live.reduce((sum, s) => sum - s.quantity, 0)).toBeLessThanOrEqual(50_000);
    expect(spends.filter((s) => s.state === 'pending')).toEqual([]);
    // Every committed spend is an LMS enrollment and every LMS enrollment a committed spend.
    expect(new Set(live.map((s) => s.fulfillment_identifier))).toEqual(
      new Set([...lms.enrollments.values()].map((e) => e.fulfillmentUuid)),
    );
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    // They were reserved in batches (group commit), then each asked the LMS on its own.
    expect(redemptionBatchStats(t.app.campus).largest).toBeGreaterThan(1);
  });
});
