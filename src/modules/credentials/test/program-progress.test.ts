import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { ADMIN_ROLES, type Body, client, programFixture } from './fixtures.js';

/**
 * Program completion computed by Campus (issue item 2), excluded runs included
 * (docs/decisions/0013-learner-program-status.md).
 */
describe('program progress and program certificates', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let staff: string;
  let fx: Awaited<ReturnType<typeof programFixture>>;
  let n = 0;
  const learner = () => `learner${++n}`;

  const programStatus = async (username: string, programUuid = fx.P.uuid) => {
    const r = await admin.post('/api/credentials/v1/learner_program_status/', {
      username,
      program_uuid: programUuid,
    });
    expect(r.status).toBe(200);
    return r.body;
  };
  const programCredential = async (username: string, programUuid = fx.P.uuid) => {
    const r = await admin.get(
      `/api/v2/credentials/?username=${username}&type=program&program_uuid=${programUuid}`,
    );
    return r.body.results[0] ?? null;
  };
  const events = (credentialUuid: string) =>
    t.db.kysely
      .selectFrom('domain_events')
      .select(['event_type', 'payload'])
      .where('aggregate_uuid', '=', credentialUuid)
      .orderBy('occurred_at')
      .execute();

  beforeAll(async () => {
    t = await testApp();
    staff = (await personas(t)).staff;
    admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    fx = await programFixture(t, staff);
  });
  afterAll(() => t.close());

  it('is incomplete with two of three courses, and awarded with the third (visible date = latest course date)', async () => {
    const u = learner();
    await admin.cert(u, fx.A2.key);
    t.clock.advance(60_000);
    await admin.cert(u, fx.B1.key);
    let status = await programStatus(u);
    expect(status).toMatchObject({
      complete: false,
      completed_courses: 2,
      total_courses: 3,
      visible_date: null,
    });
    expect(await programCredential(u)).toBeNull();

    t.clock.advance(60_000);
    const c1 = await admin.cert(u, fx.C1.key);
    status = await programStatus(u);
    expect(status).toMatchObject({ complete: true, completed_courses: 3, visible_date: c1.created });
    const program = await programCredential(u);
    expect(program).toMatchObject({
      status: 'awarded',
      credential: { type: 'program', program_uuid: fx.P.uuid },
    });
    expect(program.attributes).toEqual([{ name: 'visible_date', value: c1.created }]);
    expect((await events(program.uuid)).map((e) => e.event_type)).toEqual(['program_certificate.awarded']);

    // An idempotent re-POST of a course certificate records no second event.
    await admin.cert(u, fx.C1.key);
    expect(await events(program.uuid)).toHaveLength(1);
  });

  it('does not count an audit or honor certificate on a verified run', async () => {
    const u = learner();
    await admin.cert(u, fx.A2.key);
    await admin.cert(u, fx.B1.key);
    await admin.post('/api/v2/credentials/', {
      username: u,
      credential: { course_run_key: fx.C1.key, mode: 'honor' },
    });
    expect((await programStatus(u)).complete).toBe(false);
    await admin.post('/api/v2/credentials/', {
      username: u,
      credential: { course_run_key: fx.C1.key, mode: 'audit' },
    });
    expect((await programStatus(u)).complete).toBe(false);
    expect(await programCredential(u)).toBeNull();
  });

  it('excluded run, end to end: the learner who finished only A1 sees it tagged, course A and the program incomplete', async () => {
    const u = learner();
    await admin.cert(u, fx.A1.key);
    await admin.cert(u, fx.B1.key);
    await admin.cert(u, fx.C1.key);
    const status = await programStatus(u);
    expect(status.complete).toBe(false);
    const courseA = status.courses[0];
    expect(courseA).toMatchObject({ course_key: fx.A.key, complete: false, completing_run: null });
    expect(courseA.runs).toEqual([
      expect.objectContaining({
        key: fx.A1.key,
        excluded: true,
        status: 'awarded',
        counts_toward_program: false,
      }),
      expect.objectContaining({
        key: fx.A2.key,
        excluded: false,
        status: 'none',
        counts_toward_program: false,
      }),
    ]);
    expect(status.courses.map((c: Body) => c.complete)).toEqual([false, true, true]);
    expect(await programCredential(u)).toBeNull();
  });

  it('revoking one of two completing runs keeps the program awarded (Open edX would revoke it: fixed)', async () => {
    const cat = fx.cat;
    const B2 = await cat.run(fx.B.key, 'verified-audit', {
      start: '2025-08-01T00:00:00Z',
      end: '2026-04-01T00:00:00Z',
    });
    const u = learner();
    await admin.cert(u, fx.A2.key);
    const b1 = await admin.cert(u, fx.B1.key);
    await admin.cert(u, B2.key);
    await admin.cert(u, fx.C1.key);
    expect((await programCredential(u)).status).toBe('awarded');

    // Open edX's revoke_program_certificates revokes every program containing B1 here; Campus re-evaluates.
    expect((await admin.delete(`/api/v2/credentials/${b1.uuid}/`)).status).toBe(200);
    expect((await programCredential(u)).status).toBe('awarded');
    expect((await programStatus(u)).complete).toBe(true);
  });

  it('revoking the only completing run revokes the program certificate, and re-awarding awards it again', async () => {
    const u = learner();
    await admin.cert(u, fx.A2.key);
    await admin.cert(u, fx.B1.key);
    const c1 = await admin.cert(u, fx.C1.key);
    const program = await programCredential(u);
    expect(program.status).toBe('awarded');

    await admin.cert(u, fx.C1.key, { status: 'revoked' });
    expect((await programCredential(u)).status).toBe('revoked');
    expect((await programStatus(u)).complete).toBe(false);

    await admin.patch(`/api/v2/credentials/${c1.uuid}/`, { status: 'awarded' });
    expect((await programCredential(u)).status).toBe('awarded');
    expect((await events(program.uuid)).map((e) => e.event_type)).toEqual([
      'program_certificate.awarded',
      'program_certificate.revoked',
      'program_certificate.awarded',
    ]);
  });

  it('counts a verified certificate on a credit run and a no-id-professional one on a professional run', async () => {
    const cat = fx.cat;
    const org = await cat.org();
    const X = await cat.course(org, 'credit-verified-audit');
    const Y = await cat.course(org, 'professional');
    const X1 = await cat.run(X.key, 'credit-verified-audit', { start: '2025-01-01T00:00:00Z' });
    const Y1 = await cat.run(Y.key, 'professional', { start: '2025-01-01T00:00:00Z' });
    const Q = await cat.post('/programs/', {
      title: 'Q',
      type: 'xseries',
      status: 'active',
      courses: [X.key, Y.key],
    });
    const u = learner();
    await admin.cert(u, X1.key);
    await admin.post('/api/v2/credentials/', {
      username: u,
      credential: { course_run_key: Y1.key, mode: 'no-id-professional' },
    });
    const status = await programStatus(u, Q.body.uuid);
    expect(status.courses.map((c: Body) => c.runs[0].type)).toEqual(['credit', 'professional']);
    expect(status.complete).toBe(true);
  });

  it('never completes a program without courses', async () => {
    const Z = await fx.cat.post('/programs/', { title: 'Empty', type: 'xseries', courses: [] });
    const status = await programStatus('nobody', Z.body.uuid);
    expect(status).toMatchObject({ complete: false, total_courses: 0, courses: [] });
  });

  it('uses the earliest qualifying run of a course for the visible date (A1 included)', async () => {
    const f2 = await programFixture(t, staff, { excludeA1: false });
    const u = learner();
    const a1 = await admin.cert(u, f2.A1.key);
    t.clock.advance(120_000);
    await admin.cert(u, f2.A2.key);
    await admin.cert(u, f2.B1.key);
    const c1 = await admin.cert(u, f2.C1.key);
    const status = await programStatus(u, f2.P.uuid);
    expect(status.complete).toBe(true);
    expect(status.courses[0].completing_run.key).toBe(f2.A1.key);
    expect(a1.created < c1.created).toBe(true);
    expect(status.visible_date).toBe(c1.created);
  });
});
