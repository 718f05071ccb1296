import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { COURSE_TYPE, catalogClient, RUN_TYPE, TRACK } from './fixtures.js';

describe('type catalogue', () => {
  let t: TestApp;
  let admin: ReturnType<typeof catalogClient>;
  let learner: ReturnType<typeof catalogClient>;

  beforeAll(async () => {
    t = await testApp();
    const as = await personas(t);
    admin = catalogClient(t, as.catalogAdmin);
    learner = catalogClient(t, as.learnerA!);
  });
  afterAll(() => t.close());

  it('offers the eight seeded course types in type_options, without empty', async () => {
    const { status, body } = await learner.get('/course_types/type_options/');
    expect(status).toBe(200);
    const options = body.type_options as { name: string; course_run_types: { name: string }[] }[];
    expect(options.map((o) => o.name).sort()).toEqual(
      [
        'Audit Only',
        'Professional Only',
        'Verified and Audit',
        'Credit',
        'Honor Only',
        'Verified and Honor',
        'Credit with Honor',
        'Verified Only',
      ].sort(),
    );
  });

  it("lists Credit's modes as audit, verified, credit and its run types in their order", async () => {
    const { body } = await learner.get('/course_types/type_options/');
    const credit = body.type_options.find((o: { name: string }) => o.name === 'Credit');
    const modes = credit.tracks.map((t: { mode: { slug: string } }) => t.mode.slug);
    expect(new Set(modes)).toEqual(new Set(['audit', 'verified', 'credit']));
    expect(credit.course_run_types.map((rt: { uuid: string }) => rt.uuid)).toEqual([
      RUN_TYPE.audit,
      RUN_TYPE['credit-verified-audit'],
      RUN_TYPE['verified-audit'],
    ]);
    expect(credit.entitlement_types).toEqual(['verified']);
  });

  it('serves the same catalogue as an OPTIONS response on a course, as course-discovery does', async () => {
    const res = await t.request({
      method: 'OPTIONS',
      url: '/catalog/api/v1/courses/edX+Demo/',
      as: (await personas(t)).learnerA,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.actions.PUT.type.type_options).toHaveLength(8);
    expect(body.actions.PUT.entitlements.child.children.mode.choices).toContainEqual({
      display_name: 'Verified',
      value: 'verified',
    });
  });

  it('lists modes with their flags as seeded (credit is not id-verified)', async () => {
    const { status, body } = await learner.get('/modes/');
    expect(status).toBe(200);
    const bySlug = Object.fromEntries(body.results.map((m: { slug: string }) => [m.slug, m]));
    expect(bySlug.credit).toMatchObject({
      is_id_verified: false,
      is_credit_eligible: true,
      certificate_type: 'credit',
    });
    expect(bySlug.verified).toMatchObject({
      is_id_verified: true,
      payee: 'platform',
      is_certificate_eligible: true,
    });
    expect(bySlug.audit).toMatchObject({ certificate_type: null, is_certificate_eligible: false });
    expect(body.count).toBe(5);
  });

  it('lists seat types, tracks, run types and program types', async () => {
    expect((await learner.get('/seat_types/')).body.count).toBe(5);
    expect((await learner.get('/tracks/')).body.results[0]).toMatchObject({
      uuid: TRACK.audit,
      mode: { slug: 'audit' },
      seat_type: { slug: 'audit' },
    });
    const runTypes = (await learner.get('/course_run_types/?page_size=100')).body.results;
    const empty = runTypes.find((rt: { slug: string }) => rt.slug === 'empty');
    expect(empty).toMatchObject({ is_marketable: false, tracks: [] });
    const microbachelors = (await learner.get('/program_types/microbachelors/')).body;
    expect(microbachelors.applicable_seat_types).toEqual(['verified']);
    const masters = (await learner.get('/program_types/masters/')).body;
    expect(masters.applicable_seat_types).toEqual(['credit', 'verified']);
  });

  it('hides the empty course type from the course type list unless asked', async () => {
    expect((await learner.get('/course_types/')).body.count).toBe(8);
    const all = (await learner.get('/course_types/?include_empty=1')).body;
    expect(all.count).toBe(9);
    const ct = (await learner.get(`/course_types/${COURSE_TYPE['credit-verified-audit']}/`)).body;
    expect(ct.course_run_types.map((rt: { slug: string }) => rt.slug)).toEqual([
      'audit',
      'credit-verified-audit',
      'verified-audit',
    ]);
  });

  it('lets an operator add a masters mode with a seatless track and a non-marketable Audit SPOC run type', async () => {
    const mode = await admin.post('/modes/', { name: 'Masters', slug: 'masters' });
    expect(mode.status).toBe(201);
    const track = await admin.post('/tracks/', { mode: 'masters', seat_type: null });
    expect(track.status).toBe(201);
    expect(track.body.seat_type).toBeNull();
    const runType = await admin.post('/course_run_types/', {
      name: 'Masters Only',
      tracks: [track.body.uuid],
    });
    expect(runType.status).toBe(201);
    expect(runType.body).toMatchObject({ slug: 'masters-only', modes: ['masters'], seat_types: [] });
    const spoc = await admin.post('/course_run_types/', {
      name: 'Audit SPOC',
      is_marketable: false,
      tracks: [TRACK.audit],
    });
    expect(spoc.status).toBe(201);
    expect(spoc.body.is_marketable).toBe(false);
  });

  it('creates a run of a seatless run type with no seats', async () => {
    const masters = (await admin.get('/course_run_types/?page_size=100')).body.results.find(
      (rt: { slug: string }) => rt.slug === 'masters-only',
    );
    const courseType = await admin.post('/course_types/', {
      name: 'Masters degree course',
      entitlement_types: [],
      course_run_types: [masters.uuid],
    });
    expect(courseType.status).toBe(201);
    const org = await admin.org();
    const course = await admin.post('/courses/', {
      title: 'Degree course',
      number: 'M1',
      org,
      type: courseType.body.uuid,
      course_run: { start: '2026-09-01', end: '2026-12-01', run_type: masters.uuid },
    });
    expect(course.status).toBe(201);
    expect(course.body.course_runs[0].seats).toEqual([]);
    expect(course.body.entitlements).toEqual([]);
  });

  it('refuses a run type combining professional with another track with professional_must_stand_alone', async () => {
    const res = await admin.post('/course_run_types/', {
      name: 'Professional and Audit',
      tracks: [TRACK.professional, TRACK.audit],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('professional_must_stand_alone');
    expect(res.body.errors.tracks).toBeDefined();
  });

  it('refuses a course type allowing a professional run type beside verified with professional_must_stand_alone', async () => {
    const res = await admin.post('/course_types/', {
      name: 'Professional or Verified',
      entitlement_types: ['professional'],
      course_run_types: [RUN_TYPE.professional, RUN_TYPE['verified-audit']],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('professional_must_stand_alone');
    expect(
      (await admin.get('/course_types/?page_size=100')).body.results.map((c: { name: string }) => c.name),
    ).not.toContain('Professional or Verified');
  });

  it('accepts a course type of professional run types only', async () => {
    const res = await admin.post('/course_types/', {
      name: 'Professional Again',
      slug: 'professional-again',
      entitlement_types: ['professional'],
      course_run_types: [RUN_TYPE.professional],
    });
    expect(res.status).toBe(201);
    expect(res.body.course_run_types.map((rt: { slug: string }) => rt.slug)).toEqual(['professional']);
  });

  it('refuses duplicate slugs and unknown references with their own error codes', async () => {
    expect((await admin.post('/modes/', { name: 'Audit', slug: 'audit' })).body.error_code).toBe(
      'duplicate_slug',
    );
    expect((await admin.post('/tracks/', { mode: 'nope', seat_type: null })).body.error_code).toBe(
      'unknown_mode',
    );
    expect(
      (await admin.post('/course_types/', { name: 'X', entitlement_types: ['gold'], course_run_types: [] }))
        .body.error_code,
    ).toBe('unknown_seat_type');
    expect(
      (
        await admin.post('/course_types/', {
          name: 'Y',
          course_run_types: ['00000000-0000-4000-8000-000000000000'],
        })
      ).body.error_code,
    ).toBe('unknown_run_type');
  });

  it('refuses type writes to a learner with 403', async () => {
    expect((await learner.post('/modes/', { name: 'Gold' })).status).toBe(403);
    expect((await learner.post('/course_types/', { name: 'Gold', course_run_types: [] })).status).toBe(403);
  });
});
