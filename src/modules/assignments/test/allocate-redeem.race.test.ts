import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { verifyLedgers } from '../../ledger/index.js';
import { assignmentsWorld } from './fixtures.js';

describePg('allocations racing redemptions on one assigned policy', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff ?? '');
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  it('never lets redeemed + allocated exceed the spend limit, and the ledgers verify', async () => {
    // A $25 run: 10 learners allocated at 2,500 ¢ = 25,000 ¢ of a 50,000 ¢ limit; while they
    // redeem, 15 single-learner allocations race for the 25,000 ¢ left: exactly 10 fit.
    await t.db.kysely
      .updateTable('catalog_seats')
      .set({ price_cents: 2_500 })
      .where('price_cents', '=', 10_000)
      .execute();
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'assigned',
        display_name: 'Raced',
        active: true,
        spend_limit: 50_000,
      },
    });
    expect(created.statusCode).toBe(201);
    const policy = created.json() as { uuid: string; assignment_configuration: { uuid: string } };
    const allocate = (emails: string[]) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
        payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 2_500 },
        as: as.adminA,
      });
    const learners = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const email = `racer${i}@example.com`;
        const token = await t.token({
          userId: 9_000 + i,
          email,
          roles: [`enterprise_learner:${ENTERPRISE_A}`],
        });
        await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
        return { email, token };
      }),
    );
    expect((await allocate(learners.map((l) => l.email))).statusCode).toBe(202);

    const redeem = (token: string) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
        payload: { content_key: w.run.key },
        as: token,
      });
    const [redemptions, allocations] = await Promise.all([
      Promise.all(learners.map((l) => redeem(l.token))),
      Promise.all(Array.from({ length: 15 }, (_, i) => allocate([`newcomer${i}@example.com`]))),
    ]);
    expect(
      redemptions.map((r) => `${r.statusCode} ${r.statusCode === 201 ? '' : r.body.slice(0, 300)}`),
    ).toEqual(Array(10).fill('201 '));
    const codes = allocations.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 202)).toHaveLength(10);
    expect(codes.filter((c) => c === 422)).toHaveLength(5);
    for (const r of allocations.filter((x) => x.statusCode === 422)) {
      expect(r.json()[0].reason).toBe('policy_spend_limit_reached');
    }

    const detail = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/subsidy-access-policies/${policy.uuid}/`,
        as: as.adminA,
      })
    ).json();
    expect(detail.aggregates).toMatchObject({
      amount_redeemed_usd_cents: 25_000,
      amount_allocated_usd_cents: 25_000,
      spend_available_usd_cents: 0,
    });
    const states = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('assignment_configuration_uuid', '=', policy.assignment_configuration.uuid)
      .groupBy('state')
      .orderBy('state')
      .execute();
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([
      ['accepted', 10],
      ['allocated', 10],
    ]);
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
  });
});
