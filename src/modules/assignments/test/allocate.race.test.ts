import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { stateCountMismatches } from '../index.js';
import { assignmentsWorld, deliverMail } from './fixtures.js';

describePg('allocations racing on one policy', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  it('allocates exactly 10 of 20 concurrent single-learner calls at 1,000 ¢ against 10,000 ¢ left', async () => {
    // A course whose catalog price is $10: the run of the world is $100.
    await t.db.kysely
      .updateTable('catalog_seats')
      .set({ price_cents: 1_000 })
      .where('price_cents', '=', 10_000)
      .execute();
    const { policy, config } = await w.assignedPolicy(10_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
          payload: {
            learner_emails: [`race${i}@example.com`],
            content_key: w.run.key,
            content_price_cents: 1_000,
          },
          as: as.adminA,
        }),
      ),
    );
    // D9: the reference answers 429 while another call holds its cache lock on the policy; here
    // every call waits for the policy row lock and gets a real answer: allocated, or refused.
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 429)).toEqual([]);
    expect(codes.filter((c) => c === 202)).toHaveLength(10);
    expect(codes.filter((c) => c === 422)).toHaveLength(10);
    for (const r of results.filter((x) => x.statusCode === 422)) {
      expect(r.json()[0].reason).toBe('policy_spend_limit_reached');
    }
    const rows = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('content_quantity').as('total')])
      .where('assignment_configuration_uuid', '=', config)
      .where('state', '=', 'allocated')
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(10);
    expect(Number(rows.total)).toBe(-10_000);
  });

  it('an allocation whose email cannot be queued leaves no assignment, action, membership or outbox row', async () => {
    // A real failure inside the transaction, after the assignments were written: the database
    // refuses the outbox row of one address.
    await sql`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.to_address like 'boom%' then raise exception 'outbox refused %', new.to_address; end if;
        return new;
      end $$`.execute(t.db.kysely);
    await sql`create trigger refuse_boom before insert on outbox for each row execute function refuse_boom()`.execute(
      t.db.kysely,
    );
    try {
      const { policy, config } = await w.assignedPolicy(100_000);
      const res = await t.request({
        method: 'POST',
        url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
        payload: {
          learner_emails: ['fine@example.com', 'boom@example.com'],
          content_key: w.run.key,
          content_price_cents: 1_000,
        },
        as: as.adminA,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect(res.json()).toHaveProperty('error_code');
      const left = await t.db.kysely
        .selectFrom('learner_content_assignments')
        .select('uuid')
        .where('assignment_configuration_uuid', '=', config)
        .execute();
      expect(left).toEqual([]);
      const actions = await t.db.kysely
        .selectFrom('learner_content_assignment_actions as a')
        .innerJoin('learner_content_assignments as l', 'l.uuid', 'a.assignment_uuid')
        .select('a.uuid')
        .where('l.assignment_configuration_uuid', '=', config)
        .execute();
      expect(actions).toEqual([]);
      const mail = await t.db.kysely
        .selectFrom('outbox')
        .select('uuid')
        .where('to_address', 'in', ['fine@example.com', 'boom@example.com'])
        .execute();
      expect(mail).toEqual([]);
      const pending = await t.db.kysely
        .selectFrom('enterprise_pending_memberships')
        .select('email')
        .where('email', 'in', ['fine@example.com', 'boom@example.com'])
        .execute();
      expect(pending).toEqual([]);
    } finally {
      await sql`drop trigger refuse_boom on outbox`.execute(t.db.kysely);
    }
  });

  const adminApi = (config: string) => `/access/api/v1/assignment-configurations/${config}/admin/assignments`;

  // The admin list's count and learner_state_counts come from counted change rows the database
  // appends on every write, not from counting the assignments (so a list over 1,000,000 costs
  // what one over 10,000 does). Allocations, email outcomes, reminders and cancellations race list
  // reads that fold those rows: in the end every count is the real one.
  it('counts exactly what the rows say, however writes and folds interleave', async () => {
    // 130 assignments at $10 (the first test made the run's seats $10): $1,300 more in the subsidy.
    const deposit = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 130_000,
        sales_contract_reference_id: 'state-counts',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
      },
      as: as.operator,
    });
    expect(deposit.statusCode).toBe(201);
    const { policy, config } = await w.assignedPolicy(100_000_000);
    const other = await w.assignedPolicy(100_000_000);
    const allocate = (policyUuid: string, emails: string[]) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
        payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 1_000 },
        as: as.adminA,
      });
    const emails = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
    const list = (query: string) =>
      t.request({ method: 'GET', url: `${adminApi(config)}/?${query}`, as: as.adminA });

    // Enough single writes (one email outcome per statement) that readers fold while writers write.
    for (const r of await Promise.all([
      allocate(policy.uuid, emails('a', 40)),
      allocate(other.policy.uuid, emails('o', 10)),
    ]))
      expect(r.statusCode).toBe(202);
    const readers = async () => {
      for (let i = 0; i < 15; i++) {
        const res = await list(i % 2 ? 'learner_state__in=waiting,notifying' : 'state__in=allocated,errored');
        expect(res.statusCode).toBe(200);
      }
    };
    const writes = [
      allocate(policy.uuid, emails('b', 30)),
      allocate(policy.uuid, emails('c', 30)),
      allocate(other.policy.uuid, emails('p', 10)),
      // Addresses ending in 7 are refused: learner_state failed.
      deliverMail(t, (to) => /7@/.test(to)),
      deliverMail(t, (to) => /7@/.test(to)),
      t.request({
        method: 'POST',
        url: `${adminApi(config)}/remind-all/?learner_state=waiting`,
        as: as.adminA,
      }),
      t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel-all/?learner_email__in=${emails('a', 10).join(',')}`,
        as: as.adminA,
      }),
    ];
    await Promise.all([...writes, readers(), readers(), readers()]);
    await deliverMail(t, (to) => /7@/.test(to));

    const rows = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select(['learner_state', 'state'])
      .where('assignment_configuration_uuid', '=', config)
      .execute();
    // The first read folds what the last deliveries left; the second reads the folded rows.
    expect((await list('state__in=allocated,errored')).statusCode).toBe(200);
    const body = (await list('state__in=allocated,errored')).json();
    const listed = rows.filter((r) => r.state === 'allocated' || r.state === 'errored');
    expect(body.count).toBe(listed.length);
    const byState = new Map<string, number>();
    for (const r of listed)
      if (r.learner_state) byState.set(r.learner_state, (byState.get(r.learner_state) ?? 0) + 1);
    expect(
      Object.fromEntries(
        body.learner_state_counts.map((c: { learner_state: string; count: number }) => [
          c.learner_state,
          c.count,
        ]),
      ),
    ).toEqual(Object.fromEntries(byState));
    // Cancelled, failed and waiting all happened, so the check above covered moves between states.
    expect(rows.filter((r) => r.state === 'cancelled')).toHaveLength(10);
    expect(byState.get('failed')).toBeGreaterThan(0);
    expect(byState.get('waiting')).toBeGreaterThan(0);
    // A read folds what piled up: the change rows of the configuration stay few.
    const changeRows = await t.db.kysely
      .selectFrom('assignment_state_counts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('assignment_configuration_uuid', '=', config)
      .executeTakeFirstOrThrow();
    expect(Number(changeRows.n)).toBeLessThanOrEqual(64);
    expect(await stateCountMismatches(t.db.kysely)).toEqual([]);
  });
});
