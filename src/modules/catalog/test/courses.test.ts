import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { COURSE_TYPE, catalogClient, RUN_TYPE, seatsOf } from './fixtures.js';

describe('courses, entitlements and new runs', () => {
  let t: TestApp;
  let admin: ReturnType<typeof catalogClient>;
  let learner: ReturnType<typeof catalogClient>;
  let org: string;

  beforeAll(async () => {
    t = await testApp();
    const as = await personas(t);
    admin = catalogClient(t, as.staff!);
    learner = catalogClient(t, as.learnerA!);
    org = await admin.org('edX');
  });
  afterAll(() => t.close());

  it('creates an unpublished course ORG+NUMBER with one verified entitlement for verified-audit', async () => {
    const { status, body } = await admin.post('/courses/', {
      title: 'Demo',
      number: 'DemoX',
      org,
      type: COURSE_TYPE['verified-audit'],
      prices: { verified: 77 },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      key: 'edX+DemoX',
      status: 'unpublished',
      course_type: 'verified-audit',
      org: 'edX',
    });
    expect(body.entitlements).toEqual([
      { mode: 'verified', price: '77.00', price_cents: 7700, currency: 'USD', sku: null, expires: null },
    ]);
  });

  it('creates no entitlement for an audit course', async () => {
    const course = await admin.course(org, 'audit');
    expect(course.entitlements).toEqual([]);
  });

  it('creates a verified-audit run with a verified seat at 77.77 and an audit seat at 0', async () => {
    const course = await admin.course(org, 'verified-audit', {
      prices: { verified: 77.77 },
      course_run: {
        start: '2026-09-01T00:00:00Z',
        end: '2026-12-15T00:00:00Z',
        run_type: RUN_TYPE['verified-audit'],
      },
    });
    const [run] = course.course_runs;
    expect(run.status).toBe('unpublished');
    expect(seatsOf(run)).toEqual({ verified: '77.77', audit: '0.00' });
    expect(run.seats.find((s: { type: string }) => s.type === 'verified').price_cents).toBe(7777);
  });

  it('accepts prices as decimal strings and converts them to cents exactly', async () => {
    const course = await admin.course(org, 'verified', { prices: { verified: '49.99' } });
    expect(course.entitlements[0]).toMatchObject({ price: '49.99', price_cents: 4999 });
    const bad = await admin.post('/courses/', {
      title: 'Bad price',
      number: 'BAD1',
      org,
      type: COURSE_TYPE.verified,
      prices: { verified: '49.999' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['prices.verified']).toBeDefined();
  });

  it('creates an audit run with a single free audit seat and no entitlement', async () => {
    const course = await admin.course(org, 'audit', {
      course_run: { start: '2026-09-01', end: '2026-12-15', run_type: RUN_TYPE.audit },
    });
    expect(course.entitlements).toEqual([]);
    expect(seatsOf(course.course_runs[0])).toEqual({ audit: '0.00' });
  });

  it('defaults a verified seat deadline to end − 10 days at 23:59:59 and leaves other seats without one', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'verified-audit', {
      end: '2026-12-15T10:30:00Z',
      prices: { verified: 50 },
    });
    const verified = run.seats.find((s: { type: string }) => s.type === 'verified');
    const audit = run.seats.find((s: { type: string }) => s.type === 'audit');
    expect(verified.upgrade_deadline).toBe('2026-12-05T23:59:59.000Z');
    expect(audit.upgrade_deadline).toBeNull();
  });

  it('generates run keys from the start trimester, adding a, b, ... on collision', async () => {
    await admin.post('/courses/', {
      title: 'Test',
      number: 'test101',
      org,
      type: COURSE_TYPE['verified-audit'],
    });
    const first = await admin.run('edX+test101', 'verified-audit', {
      start: '2000-01-01',
      end: '2000-06-01',
    });
    const second = await admin.run('edX+test101', 'verified-audit', {
      start: '2000-03-15',
      end: '2000-06-01',
    });
    const third = await admin.run('edX+test101', 'verified-audit', {
      start: '2000-04-30',
      end: '2000-06-01',
    });
    const later = await admin.run('edX+test101', 'audit', { start: '2000-09-01', end: '2000-12-01' });
    expect([first.key, second.key, third.key, later.key]).toEqual([
      'course-v1:edX+test101+1T2000',
      'course-v1:edX+test101+1T2000a',
      'course-v1:edX+test101+1T2000b',
      'course-v1:edX+test101+3T2000',
    ]);
  });

  it('uses key_for_reruns for the org and number of new run keys', async () => {
    const course = await admin.course(org, 'audit', { key_for_reruns: 'edX+NewNum' });
    const run = await admin.run(course.key, 'audit', { start: '2027-05-01', end: '2027-08-01' });
    expect(run.key).toBe('course-v1:edX+NewNum+2T2027');
    expect(run.course).toBe(course.key);
  });

  it('refuses a run without a course, and one that starts after it ends, naming the field', async () => {
    const missing = await admin.post('/course_runs/', {
      start: '2026-09-01',
      end: '2026-12-01',
      run_type: RUN_TYPE.audit,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.course).toBeDefined();
    const course = await admin.course(org, 'audit');
    const backwards = await admin.post('/course_runs/', {
      course: course.key,
      start: '2026-12-02',
      end: '2026-12-01',
      run_type: RUN_TYPE.audit,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error_code).toBe('start_after_end');
    expect(backwards.body.errors.start).toBeDefined();
  });

  it('refuses on create a run type outside the course type with run_type_not_allowed_for_course_type', async () => {
    const course = await admin.course(org, 'professional');
    const res = await admin.post('/course_runs/', {
      course: course.key,
      start: '2026-09-01',
      end: '2026-12-01',
      run_type: RUN_TYPE['verified-audit'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('run_type_not_allowed_for_course_type');
    expect(res.body.errors.run_type).toEqual([
      "The course run type 'Verified and Audit' is not valid for this course type 'Professional Only'.",
    ]);
    expect((await admin.get(`/courses/${course.key}/`)).body.course_runs).toEqual([]);
  });

  it('refuses an unknown organization and a duplicate course key', async () => {
    const unknown = await admin.post('/courses/', {
      title: 'X',
      number: 'X1',
      org: 'NoSuchOrg',
      type: COURSE_TYPE.audit,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_code).toBe('unknown_organization');
    const dup = await admin.post('/courses/', {
      title: 'Again',
      number: 'DemoX',
      org,
      type: COURSE_TYPE.audit,
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('duplicate_course_key');
    expect(dup.body.detail).toContain('A course with key [edX+DemoX] already exists.');
  });

  it('refuses unknown fields in a request body', async () => {
    const res = await admin.post('/courses/', {
      title: 'X',
      number: 'X2',
      org,
      type: COURSE_TYPE.audit,
      draft: true,
    });
    expect(res.status).toBe(400);
  });

  it('finds a course by key or uuid, and answers 404 for an unknown one', async () => {
    const byKey = await learner.get('/courses/edX+DemoX/');
    expect(byKey.status).toBe(200);
    const byUuid = await learner.get(`/courses/${byKey.body.uuid}/`);
    expect(byUuid.body.key).toBe('edX+DemoX');
    expect((await learner.get('/courses/edX+Nope/')).status).toBe(404);
  });

  it('filters courses by keys, uuids, course_type and a title or key substring', async () => {
    const other = await admin.org('MITx');
    const a = await admin.post('/courses/', {
      title: 'Introduction to Quantum Widgets',
      number: 'QW101',
      org: other,
      type: COURSE_TYPE.honor,
    });
    await admin.post('/courses/', {
      title: 'Advanced Gizmos',
      number: 'GZ200',
      org: other,
      type: COURSE_TYPE.honor,
    });
    const keys = (r: { body: { results: { key: string }[] } }) => r.body.results.map((c) => c.key).sort();
    expect(keys(await learner.get('/courses/?q=quantum'))).toEqual(['MITx+QW101']);
    expect(keys(await learner.get('/courses/?q=gz2'))).toEqual(['MITx+GZ200']);
    expect(keys(await learner.get('/courses/?q=100%25'))).toEqual([]);
    expect(keys(await learner.get('/courses/?course_type=honor'))).toEqual(['MITx+GZ200', 'MITx+QW101']);
    expect(keys(await learner.get('/courses/?keys=MITx+GZ200,edX+DemoX'.replace(/\+/g, '%2B')))).toEqual([
      'MITx+GZ200',
      'edX+DemoX',
    ]);
    expect(keys(await learner.get(`/courses/?uuids=${a.body.uuid}`))).toEqual(['MITx+QW101']);
    const page = await learner.get('/courses/?page_size=2');
    expect(page.body.results).toHaveLength(2);
    expect(page.body.next).toContain('page=2');
  });

  it('lists and finds organizations', async () => {
    const list = await learner.get('/organizations/?keys=edX');
    expect(list.body.results.map((o: { key: string }) => o.key)).toEqual(['edX']);
    expect((await learner.get('/organizations/edX/')).body.name).toBe('edX University');
    const renamed = await admin.patch('/organizations/edX/', { name: 'edX Inc.' });
    expect(renamed.body).toMatchObject({ key: 'edX', name: 'edX Inc.' });
    expect((await admin.post('/organizations/', { key: 'edX', name: 'Again' })).body.error_code).toBe(
      'duplicate_organization_key',
    );
  });

  it('refuses course and run writes to a learner with 403 and to an anonymous caller with 401', async () => {
    expect(
      (await learner.post('/courses/', { title: 'X', number: 'L1', org, type: COURSE_TYPE.audit })).status,
    ).toBe(403);
    expect((await learner.post('/organizations/', { key: 'L', name: 'L' })).status).toBe(403);
    const anon = await t.request({ method: 'GET', url: '/catalog/api/v1/courses/' });
    expect(anon.statusCode).toBe(401);
  });
});
