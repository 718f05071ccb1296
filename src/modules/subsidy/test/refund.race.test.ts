import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { verifyLedgers } from '../../ledger/index.js';
import { POLICY, subsidyWorld } from './fixtures.js';

/**
 * The two refund paths of one redemption — the learner's unenroll and the operator's reverse —
 * racing each other. Both must take the ledger's one lock order (src/modules/ledger/lock-order.ts);
 * before they did, 30 such pairs deadlocked and answered 500.
 */
describePg('a learner unenrolling while an operator reverses the same redemption', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let world: Awaited<ReturnType<typeof subsidyWorld>>;
  const PAIRS = 30;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 70 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    world = await subsidyWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.app.close();
    await pg.drop();
  });

  const subsidyBalance = async () =>
    (
      await t.request({
        method: 'GET',
        url: `/subsidy/api/v1/subsidies/${world.subsidy.uuid}/`,
        as: as.operator,
      })
    ).json().current_balance as number;

  it('refunds each of 30 redemptions exactly once, with no 5xx, whichever path wins', async () => {
    const topUp = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 300_000,
        sales_contract_reference_id: 'refund-race',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
        idempotency_key: 'refund-race-top-up',
      },
      as: as.operator,
    });
    expect(topUp.statusCode).toBe(201);
    const before = await subsidyBalance();

    const learners = Array.from({ length: PAIRS }, (_, i) => 50_000 + i);
    const redemptions: Array<{ uuid: string; fulfillment_identifier: string; lms_user_id: number }> = [];
    for (const lmsUserId of learners) {
      const res = await t.request({
        method: 'POST',
        url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/`,
        payload: { subsidy_access_policy_uuid: POLICY, lms_user_id: lmsUserId, content_key: world.run.key },
        as: as.operator,
      });
      expect(res.statusCode).toBe(201);
      redemptions.push(res.json());
    }
    expect(await subsidyBalance()).toBe(before - PAIRS * 10_000);

    const tokens = await Promise.all(
      learners.map((id) => t.token({ userId: id, roles: [`enterprise_learner:${ENTERPRISE_A}`] })),
    );
    const pairs = await Promise.all(
      redemptions.map(async (r, i) => {
        const [unenroll, reverse] = await Promise.all([
          t.request({
            method: 'POST',
            url: `/enterprise/api/v1/enrollments/${r.fulfillment_identifier}/unenroll/`,
            as: tokens[i],
          }),
          t.request({
            method: 'POST',
            url: `/subsidy/api/v2/transactions/${r.uuid}/reverse/`,
            payload: { reason: 'race' },
            as: as.operator,
          }),
        ]);
        return { redemption: r, unenroll, reverse };
      }),
    );

    for (const { unenroll, reverse } of pairs) {
      expect(unenroll.statusCode, unenroll.body).toBe(200);
      expect(unenroll.json()).toMatchObject({ refunded: true, enrollment: { is_active: false } });
      // The reverse either refunded first, or found the unenroll's refund already there.
      if (reverse.statusCode !== 200) {
        expect(reverse.statusCode, reverse.body).toBe(409);
        expect(reverse.json().error_code).toBe('transaction_already_reversed');
      }
    }

    const reversals = await t.db.kysely
      .selectFrom('ledger_reversals')
      .select(['transaction_uuid', 'uuid', 'quantity'])
      .where(
        'transaction_uuid',
        'in',
        redemptions.map((r) => r.uuid),
      )
      .execute();
    expect(reversals).toHaveLength(PAIRS);
    expect(new Set(reversals.map((r) => r.transaction_uuid)).size).toBe(PAIRS);
    expect(reversals.every((r) => Number(r.quantity) === 10_000)).toBe(true);
    // Both answers name the one refund that was made.
    const reversalOf = new Map(reversals.map((r) => [r.transaction_uuid, r.uuid]));
    for (const { redemption, unenroll, reverse } of pairs) {
      expect(unenroll.json().reversal_uuid).toBe(reversalOf.get(redemption.uuid));
      if (reverse.statusCode === 200)
        expect(reverse.json().reversal.uuid).toBe(reversalOf.get(redemption.uuid));
    }

    const enrollments = await t.db.kysely
      .selectFrom('enrollments')
      .select(['is_active', 'unenrolled_at'])
      .where(
        'uuid',
        'in',
        redemptions.map((r) => r.fulfillment_identifier),
      )
      .execute();
    expect(enrollments).toHaveLength(PAIRS);
    expect(enrollments.every((e) => !e.is_active && e.unenrolled_at !== null)).toBe(true);
    expect(await subsidyBalance()).toBe(before);
  });
});
