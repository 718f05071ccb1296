import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { ADMIN_ROLES, client, programFixture } from './fixtures.js';

describePg('credentials on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let fx: Awaited<ReturnType<typeof programFixture>>;

  beforeAll(async () => {
    pg = await createPgDatabase();
    t = await testApp({ db: pg.db });
    admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    fx = await programFixture(t, (await personas(t)).staff);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  it('awards the program once when a new learner’s three completing certificates arrive at once', async () => {
    const results = await Promise.all(
      [fx.A2, fx.B1, fx.C1, fx.A2, fx.B1, fx.C1].map((run) =>
        admin.post('/api/v2/credentials/', {
          username: 'racer',
          lms_user_id: 5150,
          credential: { course_run_key: run.key, mode: 'verified' },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    const all = await admin.get('/api/v2/credentials/?username=racer');
    expect(all.body.count).toBe(4);
    const program = all.body.results.find(
      (c: { credential: { type: string } }) => c.credential.type === 'program',
    );
    expect(program.status).toBe('awarded');
    const events = await pg.db.kysely
      .selectFrom('domain_events')
      .select('event_type')
      .where('aggregate_uuid', '=', program.uuid)
      .execute();
    expect(events.map((e) => e.event_type)).toEqual(['program_certificate.awarded']);
    const learners = await pg.db.kysely
      .selectFrom('credential_learners')
      .selectAll()
      .where('username', '=', 'racer')
      .execute();
    expect(learners).toHaveLength(1);
  });

  it('counts every one of many simultaneous credit requests on one row', async () => {
    const pathway = await admin.post('/api/v2/pathways/', {
      name: 'Race U',
      email: 'race@example.edu',
      programs: [fx.P.uuid],
    });
    const racer = client(t, await t.token({ userId: 5150, username: 'racer', email: 'racer@example.com' }));
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        racer.post(`/records/programs/${fx.P.uuid}/send`, { username: 'racer', pathway_id: pathway.body.id }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    const rows = await admin.get(`/api/v2/credit_requests/?pathway_id=${pathway.body.id}`);
    expect(rows.body.results).toEqual([
      expect.objectContaining({ request_count: 5, program_uuid: fx.P.uuid }),
    ]);
    const mail = await pg.db.kysely
      .selectFrom('outbox')
      .select('uuid')
      .where('to_address', '=', 'race@example.edu')
      .execute();
    expect(mail).toHaveLength(5);
  });
});
