import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { FOLD_AFTER } from '../../../db/appended-counts.js';
import { requestCountMismatches } from '../request-counts.repository.js';
import { requestsWorld } from './fixtures.js';

describePg('approvals racing allocations on one bnr policy', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  it('never lets approved + allocated pass the spend limit', async () => {
    // 50,000 ¢ limit, $100 course: 10 single approvals and 5 direct allocations race for 5 places.
    const w = await requestsWorld(t, as, { spendLimit: 50_000 });
    const requests: string[] = [];
    for (let i = 0; i < 10; i++) {
      const token = await w.learnerToken(7_000 + i, `asker${i}@example.com`);
      const res = await w.ask(token);
      expect(res.statusCode).toBe(201);
      requests.push(res.json().uuid);
    }
    const approve = (uuid: string) =>
      w.post(as.adminA, 'approve', { learner_credit_request_uuids: [uuid], policy_uuid: w.policy.uuid });
    const allocate = (i: number) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-allocation/${w.policy.uuid}/allocate/`,
        payload: {
          learner_emails: [`direct${i}@example.com`],
          content_key: w.course.key,
          content_price_cents: 10_000,
        },
        as: as.adminA,
      });
    // Change rows piled past the fold (each statement away and back appends two), so the admins
    // reading the tab meanwhile fold the counts the approvals append to.
    for (let i = 0; i < FOLD_AFTER / 2; i++) {
      await sql`update learner_credit_requests set latest_action_status = latest_action_status || '.'`.execute(
        t.db.kysely,
      );
      await sql`update learner_credit_requests set latest_action_status = rtrim(latest_action_status, '.')`.execute(
        t.db.kysely,
      );
    }
    const overview = () =>
      t.request({
        method: 'GET',
        url: `/access/api/v1/learner-credit-requests/overview/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`,
        as: as.adminA,
      });
    const [approvals, allocations, readings] = await Promise.all([
      Promise.all(requests.map(approve)),
      Promise.all(Array.from({ length: 5 }, (_, i) => allocate(i))),
      Promise.all(Array.from({ length: 10 }, overview)),
    ]);
    for (const r of readings) expect(r.statusCode).toBe(200);
    const approvedOk = approvals.filter((r) => r.statusCode === 200).length;
    const allocatedOk = allocations.filter((r) => r.statusCode === 202).length;
    for (const r of approvals) expect([200, 422]).toContain(r.statusCode);
    for (const r of allocations) expect([202, 422]).toContain(r.statusCode);
    expect(approvedOk + allocatedOk).toBe(5);

    const sum = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select((eb) => eb.fn.sum<string>('content_quantity').as('q'))
      .where('state', '=', 'allocated')
      .executeTakeFirstOrThrow();
    expect(-Number(sum.q)).toBe(50_000);
    const approved = await t.db.kysely
      .selectFrom('learner_credit_requests')
      .select('uuid')
      .where('state', '=', 'approved')
      .execute();
    expect(approved).toHaveLength(approvedOk);
    expect(await requestCountMismatches(t.db.kysely)).toEqual([]);
    expect((await overview()).json()).toEqual(
      [
        { state: 'approved', count: approvedOk },
        { state: 'requested', count: 10 - approvedOk },
      ].sort((a, b) => b.count - a.count || a.state.localeCompare(b.state)),
    );
    const policy = await t.request({
      method: 'GET',
      url: `/access/api/v1/subsidy-access-policies/${w.policy.uuid}/`,
      as: as.adminA,
    });
    expect(policy.json().aggregates).toMatchObject({
      amount_allocated_usd_cents: 50_000,
      spend_available_usd_cents: 0,
    });
  });
});
