import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { ADMIN_ROLES, type Body, client, programFixture } from './fixtures.js';

describe('credentials write API (the calls the LMS makes)', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let staff: string;
  let fx: Awaited<ReturnType<typeof programFixture>>;

  beforeAll(async () => {
    t = await testApp();
    staff = (await personas(t)).staff;
    admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    fx = await programFixture(t, staff);
  });
  afterAll(() => t.close());

  it('upserts a program credential: 201 twice, same uuid, attributes updated in place', async () => {
    const body = { username: 'alice', lms_user_id: 42, credential: { program_uuid: fx.P.uuid } };
    const first = await admin.post('/api/v2/credentials/', {
      ...body,
      attributes: [{ name: 'visible_date', value: '2026-01-01T00:00:00Z' }],
    });
    expect(first.status).toBe(201);
    const second = await admin.post('/api/v2/credentials/', {
      ...body,
      status: 'revoked',
      attributes: [{ name: 'visible_date', value: '2026-02-01T00:00:00Z' }],
    });
    expect(second.status).toBe(201);
    expect(second.body.uuid).toBe(first.body.uuid);
    expect(second.body.status).toBe('revoked');
    expect(second.body.attributes).toEqual([{ name: 'visible_date', value: '2026-02-01T00:00:00Z' }]);
    expect(second.body.credential).toEqual({ type: 'program', program_uuid: fx.P.uuid });
  });

  it('refuses duplicate attribute names and unknown programs or runs with 400', async () => {
    const dup = await admin.post('/api/v2/credentials/', {
      username: 'alice',
      credential: { program_uuid: fx.P.uuid },
      attributes: [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual({ attributes: ['Attribute names cannot be duplicated.'] });
    const program = await admin.post('/api/v2/credentials/', {
      username: 'alice',
      credential: { program_uuid: '00000000-0000-4000-8000-00000000dead' },
    });
    expect(program.status).toBe(400);
    expect(Object.keys(program.body.errors)).toEqual(['program_uuid']);
    const run = await admin.post('/api/v2/credentials/', {
      username: 'alice',
      credential: { course_run_key: 'course-v1:No+Such+Run', mode: 'verified' },
    });
    expect(run.status).toBe(400);
  });

  it('auto-creates an active config, stores and deletes the date override, revokes by DELETE keeping the row', async () => {
    const cred = await admin.cert('dora', fx.A2.key, { date_override: { date: '2030-01-01T00:00:00Z' } });
    expect(cred.date_override).toEqual({ date: '2030-01-01T00:00:00Z' });
    const config = await admin.get(`/api/v2/course_certificates/${fx.A2.key}/`);
    expect(config.body).toMatchObject({
      certificate_type: 'verified',
      is_active: true,
      course_run: fx.A2.uuid,
    });
    const again = await admin.cert('dora', fx.A2.key, { date_override: null });
    expect(again.uuid).toBe(cred.uuid);
    expect(again.date_override).toBeNull();

    const revoked = await admin.delete(`/api/v2/credentials/${cred.uuid}/`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const read = await admin.get(`/api/v2/credentials/${cred.uuid.replace(/-/g, '')}/`);
    expect(read.body).toMatchObject({ uuid: cred.uuid, status: 'revoked' });
  });

  it('lists credentials: a learner their own, others 403; only_visible hides a future config date', async () => {
    await admin.cert('erin', fx.B1.key, {}, 4242);
    await admin.cert('erin', fx.C1.key, {}, 4242);
    const cfg = await admin.patch(`/api/v2/course_certificates/${fx.C1.key}/`, {
      certificate_available_date: '9999-01-01T00:00:00Z',
    });
    expect(cfg.status).toBe(200);
    const erin = client(t, await t.token({ userId: 4242, username: 'erin' }));
    const own = await erin.get('/api/v2/credentials/?username=erin');
    expect(own.status).toBe(200);
    expect(own.body.count).toBe(2);
    expect((await erin.get('/api/v2/credentials/?username=alice')).status).toBe(403);
    expect((await erin.get('/api/v2/credentials/')).status).toBe(403);
    const visible = await erin.get('/api/v2/credentials/?username=erin&only_visible=true');
    expect(visible.body.results.map((r: Body) => r.credential.course_run_key)).toEqual([fx.B1.key]);
    const all = await erin.get('/api/v2/credentials/?username=erin&only_visible=false');
    expect(all.body.count).toBe(2);
    // reset for other tests
    await admin.patch(`/api/v2/course_certificates/${fx.C1.key}/`, { certificate_available_date: null });
  });

  it('grades: null letter stored as "", the same row updated with 201, unknown run 400', async () => {
    const first = await admin.grade('alice', fx.A2.key, null, 0.5);
    expect(first.letter_grade).toBe('');
    const second = await admin.grade('alice', fx.A2.key, 'A', 0.92);
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ letter_grade: 'A', percent_grade: 0.92, verified: true });
    const unknown = await admin.post('/api/v2/grades/', {
      username: 'alice',
      course_run: 'course-v1:No+Such+Run',
      letter_grade: 'A',
      percent_grade: 1,
      verified: true,
    });
    expect(unknown.status).toBe(400);
    const patched = await admin.patch(`/api/v2/grades/${first.id}/`, { percent_grade: 0.95 });
    expect(patched.status).toBe(200);
    expect(patched.body.percent_grade).toBe(0.95);
  });

  it('keeps both learner ids: a username seen first gets its lms_user_id later, and a rename follows the id', async () => {
    await admin.cert('frank', fx.B1.key);
    await admin.cert('frank', fx.C1.key, {}, 77);
    const renamed = await admin.cert('franklin', fx.A2.key, {}, 77);
    expect(renamed).toMatchObject({ username: 'franklin', lms_user_id: 77 });
    const list = await admin.get('/api/v2/credentials/?username=franklin&type=course-run');
    expect(list.body.count).toBe(3);
    // A2, B1 and C1 complete the program: its certificate follows the learner through the rename.
    const program = await admin.get(
      `/api/v2/credentials/?username=franklin&type=program&program_uuid=${fx.P.uuid}`,
    );
    expect(program.body.results).toEqual([expect.objectContaining({ status: 'awarded', lms_user_id: 77 })]);
  });

  it('refuses writes to learners and to other roles', async () => {
    const as = await personas(t);
    for (const who of [as.learnerA, as.adminA, as.operator, as.catalogAdmin]) {
      const r = await client(t, who).post('/api/v2/credentials/', {
        username: 'user101',
        credential: { course_run_key: fx.A2.key, mode: 'verified' },
      });
      expect(r.status).toBe(403);
    }
    const staffWrite = await client(t, as.staff).cert('gina', fx.A2.key);
    expect(staffWrite.status).toBe('awarded');
  });
});
