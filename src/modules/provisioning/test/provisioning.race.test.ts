import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { catalogWorld, provisioningAdmin, provisioningRequest } from './fixtures.js';

describePg('provisioning racing on one slug', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let provisioner: string;
  let world: Awaited<ReturnType<typeof catalogWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    const as = await personas(t);
    provisioner = await provisioningAdmin(t);
    world = await catalogWorld(t, as.staff);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  const count = async (
    table: 'enterprise_customers' | 'subsidies' | 'subsidy_access_policies' | 'workflows' | 'outbox',
  ) =>
    Number(
      (
        await t.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('makes one customer, one subsidy and one set of policies for 10 concurrent calls, all answering the same', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request({
          method: 'POST',
          url: '/access/api/v1/provisioning',
          payload: provisioningRequest('race-corp', world.org),
          as: provisioner,
        }),
      ),
    );

    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const bodies = results.map((r) => r.json());
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(await count('enterprise_customers')).toBe(1);
    expect(await count('subsidies')).toBe(1);
    expect(await count('subsidy_access_policies')).toBe(2);
    expect(await count('workflows')).toBe(1);
    // One welcome email per admin.
    expect(await count('outbox')).toBe(2);
    const steps = await t.db.kysely
      .selectFrom('workflow_steps')
      .select(['step_id', 'attempts'])
      .orderBy('position')
      .execute();
    expect(steps.every((s) => s.attempts === 1)).toBe(true);
  });
});
