import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { assignmentsWorld } from './fixtures.js';

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
});
