import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { COURSE_TYPE, catalogClient, RUN_TYPE, seatsOf } from './fixtures.js';

describe('course run updates: seats follow the run type', () => {
  let t: TestApp;
  let admin: ReturnType<typeof catalogClient>;
  let learner: ReturnType<typeof catalogClient>;
  let org: string;

  beforeAll(async () => {
    t = await testApp();
    const as = await personas(t);
    admin = catalogClient(t, as.catalogAdmin);
    learner = catalogClient(t, as.learnerA!);
    org = await admin.org();
  });
  afterAll(() => t.close());

  const runUrl = (key: string) => `/course_runs/${key}/`;

  it('replaces seats when the run type changes before review, both ways', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'verified-audit', { prices: { verified: 77 } });
    expect(seatsOf(run)).toEqual({ audit: '0.00', verified: '77.00' });

    expect((await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE.professional })).status).toBe(
      200,
    );
    const professional = await admin.patch(runUrl(run.key), {
      run_type: RUN_TYPE.professional,
      prices: { professional: 132 },
    });
    expect(professional.status).toBe(200);
    expect(seatsOf(professional.body)).toEqual({ professional: '132.00' });

    await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE['verified-audit'] });
    const back = await admin.patch(runUrl(run.key), {
      run_type: RUN_TYPE['verified-audit'],
      prices: { verified: 77 },
    });
    expect(seatsOf(back.body)).toEqual({ audit: '0.00', verified: '77.00' });
  });

  it('refuses a run type outside the course type on update and changes nothing', async () => {
    const course = await admin.course(org, 'professional');
    const run = await admin.run(course.key, 'professional', { prices: { professional: 100 } });
    const res = await admin.patch(runUrl(run.key), {
      run_type: RUN_TYPE['verified-audit'],
      prices: { verified: 5 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('run_type_not_allowed_for_course_type');
    expect(res.body.errors.run_type).toEqual([
      "The course run type 'Verified and Audit' is not valid for this course type 'Professional Only'.",
    ]);
    const after = (await learner.get(runUrl(run.key))).body;
    expect(after.run_type).toBe(RUN_TYPE.professional);
    expect(seatsOf(after)).toEqual({ professional: '100.00' });
  });

  it('refuses the professional run type on a verified-audit course', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'verified-audit');
    const res = await admin.patch(runUrl(run.key), { run_type: RUN_TYPE.professional });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('run_type_not_allowed_for_course_type');
  });

  it('after review lets seat types widen (audit → verified-audit) but not narrow or switch', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'audit');
    expect((await admin.patch(runUrl(run.key), { status: 'reviewed' })).body.status).toBe('reviewed');

    const widened = await admin.patch(runUrl(run.key), {
      run_type: RUN_TYPE['verified-audit'],
      prices: { verified: 50 },
    });
    expect(widened.status).toBe(200);
    expect(seatsOf(widened.body)).toEqual({ audit: '0.00', verified: '50.00' });

    const narrowed = await admin.patch(runUrl(run.key), { run_type: RUN_TYPE.audit });
    expect(narrowed.status).toBe(400);
    expect(narrowed.body.error_code).toBe('seat_types_may_only_widen_after_review');
    expect(narrowed.body.errors.run_type[0]).toMatch(
      /^Switching seat types after being reviewed is not supported\./,
    );

    await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE.professional });
    const switched = await admin.patch(runUrl(run.key), { run_type: RUN_TYPE.professional });
    expect(switched.body.error_code).toBe('seat_types_may_only_widen_after_review');
    expect(seatsOf((await learner.get(runUrl(run.key))).body)).toEqual({ audit: '0.00', verified: '50.00' });
  });

  it('deletes entitlements when a never-reviewed course switches to audit', async () => {
    const course = await admin.course(org, 'verified-audit', { prices: { verified: 40 } });
    expect(course.entitlements).toHaveLength(1);
    const res = await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE.audit });
    expect(res.status).toBe(200);
    expect(res.body.entitlements).toEqual([]);
  });

  it('after review lets entitlement types widen (audit → verified) but refuses verified → professional', async () => {
    const course = await admin.course(org, 'verified-audit', { prices: { verified: 40 } });
    await admin.patch(`/courses/${course.key}/`, { status: 'reviewed' });
    const switched = await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE.professional });
    expect(switched.status).toBe(400);
    expect(switched.body.error_code).toBe('entitlement_types_may_only_widen_after_review');
    expect(switched.body.errors.type[0]).toMatch(
      /^Switching entitlement types after being reviewed is not supported\./,
    );
    const toAudit = await admin.patch(`/courses/${course.key}/`, { type: COURSE_TYPE.audit });
    expect(toAudit.body.error_code).toBe('entitlement_types_may_only_widen_after_review');

    const audit = await admin.course(org, 'audit');
    await admin.patch(`/courses/${audit.key}/`, { status: 'published' });
    const widened = await admin.patch(`/courses/${audit.key}/`, {
      type: COURSE_TYPE['verified-audit'],
      prices: { verified: 99 },
    });
    expect(widened.status).toBe(200);
    expect(widened.body.entitlements).toMatchObject([{ mode: 'verified', price_cents: 9900 }]);
  });

  it('keeps the seats and prices of an ended run while updating its other fields', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'verified-audit', {
      start: '2025-01-01',
      end: '2025-05-01',
      prices: { verified: 60 },
    });
    const res = await admin.patch(runUrl(run.key), {
      run_type: RUN_TYPE['verified-audit'],
      prices: { verified: 77 },
      pacing_type: 'self_paced',
    });
    expect(res.status).toBe(200);
    expect(res.body.pacing_type).toBe('self_paced');
    expect(seatsOf(res.body)).toEqual({ audit: '0.00', verified: '60.00' });
    expect(res.body.availability).toBe('Archived');
  });

  it('clears a verified upgrade deadline override when the end changes', async () => {
    const course = await admin.course(org, 'verified-audit');
    const run = await admin.run(course.key, 'verified-audit', {
      end: '2026-12-15T00:00:00Z',
      prices: { verified: 10 },
    });
    const overridden = await admin.patch(runUrl(run.key), {
      upgrade_deadline_override: '2026-11-01T00:00:00Z',
    });
    type Seat = { type: string; upgrade_deadline: string; upgrade_deadline_override: string | null };
    const seat = (r: { seats: Seat[] }) => r.seats.find((s) => s.type === 'verified');
    expect(seat(overridden.body)).toMatchObject({
      upgrade_deadline: '2026-11-01T00:00:00.000Z',
      upgrade_deadline_override: '2026-11-01T00:00:00.000Z',
    });
    const moved = await admin.patch(runUrl(run.key), { end: '2027-01-20T00:00:00Z' });
    expect(seat(moved.body)).toMatchObject({
      upgrade_deadline: '2027-01-10T23:59:59.000Z',
      upgrade_deadline_override: null,
    });
  });

  it('refuses an update that would put the start after the end', async () => {
    const course = await admin.course(org, 'audit');
    const run = await admin.run(course.key, 'audit');
    const res = await admin.patch(runUrl(run.key), { start: '2027-01-01' });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('start_after_end');
  });

  it('reports the first enrollable paid seat price, in dollars and cents', async () => {
    const course = await admin.course(org, 'credit-verified-audit');
    const run = await admin.run(course.key, 'credit-verified-audit', {
      prices: { verified: 100, credit: 600 },
    });
    expect(run.first_enrollable_paid_seat_price).toBe(100);
    expect(run.first_enrollable_paid_seat_price_cents).toBe(10000);
    expect(run.type).toBe('credit');
    expect(run.is_enrollable).toBe(true);
    expect(run.availability).toBe('Upcoming');
  });

  it('filters runs by keys, active and marketable, and answers contains', async () => {
    const course = await admin.course(org, 'verified-audit');
    const live = await admin.run(course.key, 'verified-audit', { prices: { verified: 10 } });
    const ended = await admin.run(course.key, 'verified-audit', { start: '2025-01-01', end: '2025-03-01' });
    await admin.patch(runUrl(live.key), { status: 'published' });
    const keys = `${live.key},${ended.key}`.replace(/\+/g, '%2B');
    const list = await learner.get(`/course_runs/?keys=${keys}`);
    expect(list.body.count).toBe(2);
    const active = await learner.get(`/course_runs/?keys=${keys}&active=1`);
    expect(active.body.results.map((r: { key: string }) => r.key)).toEqual([live.key]);
    const marketable = await learner.get(`/course_runs/?keys=${keys}&marketable=true`);
    expect(
      marketable.body.results.map((r: { key: string; is_marketable: boolean }) => [r.key, r.is_marketable]),
    ).toEqual([[live.key, true]]);
    const notMarketable = await learner.get(`/course_runs/?keys=${keys}&marketable=0`);
    expect(notMarketable.body.results.map((r: { key: string }) => r.key)).toEqual([ended.key]);

    const contains = await learner.get(
      `/course_runs/contains/?course_run_ids=${live.key.replace(/\+/g, '%2B')},course-v1:No%2BSuch%2BRun`,
    );
    expect(contains.body).toEqual({ course_runs: { [live.key]: true, 'course-v1:No+Such+Run': false } });
    expect((await learner.get('/course_runs/contains/')).status).toBe(400);
  });

  it('finds a run by key with a plain + in the path, and answers 404 for an unknown key', async () => {
    const course = await admin.course(org, 'audit');
    const run = await admin.run(course.key, 'audit');
    expect((await learner.get(`/course_runs/${run.key}/`)).body.uuid).toBe(run.uuid);
    expect((await learner.get(`/course_runs/${run.uuid}/`)).body.key).toBe(run.key);
    expect((await learner.get('/course_runs/course-v1:No+Such+Run/')).status).toBe(404);
  });

  it('takes PUT as a partial update and refuses DELETE of courses and runs with 405', async () => {
    const course = await admin.course(org, 'audit');
    const run = await admin.run(course.key, 'audit');
    const as = (await personas(t)).catalogAdmin;
    const put = await t.request({
      method: 'PUT',
      url: `/catalog/api/v1/course_runs/${run.key}/`,
      payload: { pacing_type: 'self_paced' },
      as,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ pacing_type: 'self_paced', run_type: RUN_TYPE.audit });
    for (const url of [`/catalog/api/v1/course_runs/${run.key}/`, `/catalog/api/v1/courses/${course.key}/`]) {
      const del = await t.request({ method: 'DELETE', url, as });
      expect(del.statusCode).toBe(405);
      expect(del.json().error_code).toBe('method_not_allowed');
      expect((await t.request({ method: 'DELETE', url })).statusCode).toBe(401);
    }
  });

  it('refuses run writes to a learner with 403', async () => {
    const course = await admin.course(org, 'audit');
    const run = await admin.run(course.key, 'audit');
    expect((await learner.patch(runUrl(run.key), { hidden: true })).status).toBe(403);
    expect(
      (
        await learner.post('/course_runs/', {
          course: course.key,
          start: '2026-09-01',
          end: '2026-12-01',
          run_type: RUN_TYPE.audit,
        })
      ).status,
    ).toBe(403);
  });
});
