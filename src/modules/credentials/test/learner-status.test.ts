import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { ADMIN_ROLES, type Body, client, programFixture } from './fixtures.js';

const URL = '/api/credentials/v1/learner_cert_status/';
const BULK = '/api/credentials/v1/bulk_learner_cert_status/';

/** The learner status endpoint; Campus answers per-item errors in bulk and 400 for an empty request. */
describe('learner credential status', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let fx: Awaited<ReturnType<typeof programFixture>>;

  beforeAll(async () => {
    t = await testApp();
    const staff = (await personas(t)).staff;
    admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    fx = await programFixture(t, staff);
    await admin.cert('alice', fx.A2.key, {}, 42);
    await admin.grade('alice', fx.A2.key, 'A', 0.92);
    await admin.cert('alice', fx.C1.key, {}, 42);
    await admin.cert('alice', fx.B1.key, { status: 'revoked' }, 42);
    await admin.post('/api/v2/course_certificates/', {
      course_id: fx.C1.key,
      certificate_type: 'verified',
      certificate_available_date: '2099-01-01T00:00:00Z',
    });
    await admin.cert('bob', fx.A1.key, {}, 43);
    await admin.cert('bob', fx.A2.key, {}, 43);
  });
  afterAll(() => t.close());

  it('answers one entry per awarded visible run of the asked courses, with the grade (scenario 1)', async () => {
    const r = await admin.post(URL, { username: 'alice', courses: [fx.A.uuid, fx.B.uuid, fx.C.uuid] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      lms_user_id: 42,
      username: 'alice',
      status: [
        {
          course_uuid: fx.A.uuid,
          course_run: { uuid: fx.A2.uuid, key: fx.A2.key },
          status: 'awarded',
          type: 'verified',
          certificate_available_date: null,
          grade: { letter_grade: 'A', percent_grade: 0.92, verified: true },
        },
      ],
    });
  });

  it('finds the same by lms_user_id and run key, or by run uuid (hex too) (scenario 2)', async () => {
    const byKey = await admin.post(URL, { lms_user_id: 42, course_runs: [fx.A2.key] });
    const byUuid = await admin.post(URL, { lms_user_id: 42, course_runs: [fx.A2.uuid.replace(/-/g, '')] });
    expect(byKey.body.status).toHaveLength(1);
    expect(byUuid.body).toEqual(byKey.body);
  });

  it('gives grade null without a grade row and two entries for two awarded runs (scenarios 3, 4)', async () => {
    const r = await admin.post(URL, { username: 'bob', courses: [fx.A.uuid] });
    expect(r.body.status.map((s: Body) => [s.course_run.key, s.grade])).toEqual([
      [fx.A1.key, null],
      [fx.A2.key, null],
    ]);
  });

  it('refuses both or neither id, and an empty request, with 400 (scenario 6)', async () => {
    expect((await admin.post(URL, { username: 'alice', lms_user_id: 42, courses: [fx.A.uuid] })).status).toBe(
      400,
    );
    expect((await admin.post(URL, { courses: [fx.A.uuid] })).status).toBe(400);
    const empty = await admin.post(URL, { username: 'alice' });
    expect(empty.status).toBe(400);
    expect(empty.body.error_code).toBe('empty_request');
    expect((await admin.post(URL, { username: 'alice', courses: [], course_runs: [] })).status).toBe(400);
  });

  it('answers an unknown learner with an empty status (scenario 7)', async () => {
    expect((await admin.post(URL, { username: 'ghost', courses: [fx.A.uuid] })).body).toEqual({
      lms_user_id: null,
      username: 'ghost',
      status: [],
    });
    expect((await admin.post(URL, { lms_user_id: 666, courses: [fx.A.uuid] })).body).toEqual({
      lms_user_id: 666,
      username: null,
      status: [],
    });
  });

  it('lets a learner read their own status only; anonymous gets 401 (scenario 8)', async () => {
    const alice = client(t, await t.token({ userId: 42, username: 'alice' }));
    expect((await alice.post(URL, { username: 'alice', courses: [fx.A.uuid] })).status).toBe(200);
    expect((await alice.post(URL, { lms_user_id: 42, courses: [fx.A.uuid] })).status).toBe(200);
    expect((await alice.post(URL, { username: 'bob', courses: [fx.A.uuid] })).status).toBe(403);
    expect((await alice.post(URL, { lms_user_id: 43, courses: [fx.A.uuid] })).status).toBe(403);
    expect((await client(t, null).post(URL, { username: 'alice', courses: [fx.A.uuid] })).status).toBe(401);
    expect(
      (
        await alice.post('/api/credentials/v1/learner_program_status/', {
          username: 'bob',
          program_uuid: fx.P.uuid,
        })
      ).status,
    ).toBe(403);
  });

  it('answers bulk requests in order, with a per-item error instead of failing the batch (scenario 9)', async () => {
    const r = await admin.post(BULK, [
      { username: 'alice', courses: [fx.A.uuid] },
      { lms_user_id: 43, courses: [fx.A.uuid] },
      { username: 'alice', lms_user_id: 42, courses: [fx.A.uuid] },
      { username: 'alice' },
      { username: 'alice', courses: 'nope' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(5);
    expect(r.body[0].status).toHaveLength(1);
    expect(r.body[1]).toMatchObject({ lms_user_id: 43, username: 'bob' });
    expect(r.body[1].status).toHaveLength(2);
    expect(r.body[2].error.error_code).toBe('learner_identifier_required');
    expect(r.body[3].error.error_code).toBe('empty_request');
    expect(r.body[4].error.error_code).toBe('validation_failed');
    expect((await admin.post(BULK, [])).status).toBe(400);

    const alice = client(t, await t.token({ userId: 42, username: 'alice' }));
    expect((await alice.post(BULK, [{ username: 'alice', courses: [fx.A.uuid] }])).status).toBe(403);
  });
});
