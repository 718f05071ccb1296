import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { verifyLedgers } from '../../ledger/index.js';
import { POLICY, subsidyWorld } from './fixtures.js';

describePg('subsidy redemptions racing', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let world: Awaited<ReturnType<typeof subsidyWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    world = await subsidyWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.app.close();
    await pg.drop();
  });

  const redeem = (lmsUserId: number, payload: object = {}) =>
    t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/`,
      payload: {
        subsidy_access_policy_uuid: POLICY,
        lms_user_id: lmsUserId,
        content_key: world.run.key,
        ...payload,
      },
      as: as.operator,
    });

  it('makes one transaction and one enrollment of 20 identical redemptions sent at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(7)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([...Array(19).fill(200), 201].sort());
    expect(new Set(results.map((r) => r.json().uuid)).size).toBe(1);
    const enrollments = await t.db.kysely
      .selectFrom('enrollments')
      .selectAll()
      .where('lms_user_id', '=', 7)
      .execute();
    expect(enrollments).toHaveLength(1);
  });

  it('commits exactly as many $100 redemptions as the subsidy holds when 40 learners race', async () => {
    // $1,000 less the $100 above leaves room for exactly 9.
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => redeem(1000 + i)));
    const won = results.filter((r) => r.statusCode === 201);
    expect(won).toHaveLength(9);
    expect(new Set(results.filter((r) => r.statusCode !== 201).map((r) => r.json().error_code))).toEqual(
      new Set(['ledger_balance_exceeded']),
    );
    const subsidy = await t.request({
      method: 'GET',
      url: `/subsidy/api/v1/subsidies/${world.subsidy.uuid}/`,
      as: as.operator,
    });
    expect(subsidy.json().current_balance).toBe(0);
    const enrollments = await t.db.kysely.selectFrom('enrollments').select('uuid').execute();
    expect(enrollments).toHaveLength(10);
  });
});
