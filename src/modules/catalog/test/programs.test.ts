import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import {
  contentPrice,
  getCourseByKey,
  getProgramWithRuns,
  getRunByKey,
  runModesAndPrices,
} from '../index.js';
import { catalogClient } from './fixtures.js';

describe('programs and their excluded runs', () => {
  let t: TestApp;
  let admin: ReturnType<typeof catalogClient>;
  let learner: ReturnType<typeof catalogClient>;
  let courseA: string;
  let courseB: string;
  let a1: string;
  let a2: string;
  let b1: string;
  let programUuid: string;

  beforeAll(async () => {
    t = await testApp();
    const as = await personas(t);
    admin = catalogClient(t, as.staff!);
    learner = catalogClient(t, as.learnerB!);
    const org = await admin.org();
    courseA = (await admin.course(org, 'verified-audit')).key;
    courseB = (await admin.course(org, 'verified-audit')).key;
    a1 = (await admin.run(courseA, 'verified-audit', { prices: { verified: 50 } })).key;
    a2 = (
      await admin.run(courseA, 'verified-audit', {
        start: '2027-01-10',
        end: '2027-04-01',
        prices: { verified: 55 },
      })
    ).key;
    b1 = (await admin.run(courseB, 'audit')).key;
    const created = await admin.post('/programs/', {
      title: 'Data Science XSeries',
      type: 'xseries',
      status: 'active',
      courses: [courseA, courseB],
      excluded_course_runs: [a1],
    });
    expect(created.status).toBe(201);
    programUuid = created.body.uuid;
  });
  afterAll(() => t.close());

  it('hides an excluded run from the program and lists it under excluded_course_runs', async () => {
    const { status, body } = await learner.get(`/programs/${programUuid}/`);
    expect(status).toBe(200);
    expect(body.type).toBe('XSeries');
    expect(body.applicable_seat_types).toEqual(['credit', 'professional', 'verified']);
    const runsOf = (key: string) =>
      body.courses.find((c: { key: string }) => c.key === key).course_runs.map((r: { key: string }) => r.key);
    expect(body.courses.map((c: { key: string }) => c.key)).toEqual([courseA, courseB]);
    expect(runsOf(courseA)).toEqual([a2]);
    expect(runsOf(courseB)).toEqual([b1]);
    expect(body.excluded_course_runs).toEqual([a1]);
  });

  it("leaves the program out of the excluded run's programs and lists it on the others", async () => {
    expect((await learner.get(`/course_runs/${a1}/`)).body.programs).toEqual([]);
    const a2Programs = (await learner.get(`/course_runs/${a2}/`)).body.programs;
    expect(a2Programs).toMatchObject([{ uuid: programUuid, type: 'XSeries', number_of_courses: 2 }]);
  });

  it('lists unpublished or retired programs on a run only when asked', async () => {
    const retired = await admin.post('/programs/', {
      title: 'Old XSeries',
      type: 'xseries',
      status: 'retired',
      courses: [courseB],
      excluded_course_runs: [],
    });
    expect(
      (await learner.get(`/course_runs/${b1}/`)).body.programs.map((p: { uuid: string }) => p.uuid),
    ).toEqual([programUuid]);
    const withRetired = (await learner.get(`/course_runs/${b1}/?include_retired_programs=1`)).body.programs;
    expect(withRetired.map((p: { uuid: string }) => p.uuid).sort()).toEqual(
      [programUuid, retired.body.uuid].sort(),
    );
  });

  it('filters programs by uuids, status and types', async () => {
    const uuids = (r: { body: { results: { uuid: string }[] } }) => r.body.results.map((p) => p.uuid);
    expect(uuids(await learner.get(`/programs/?uuids=${programUuid}`))).toEqual([programUuid]);
    expect(uuids(await learner.get('/programs/?status=active'))).toEqual([programUuid]);
    expect((await learner.get('/programs/?status=active,retired')).body.count).toBe(2);
    expect((await learner.get('/programs/?types=micromasters')).body.count).toBe(0);
    expect((await learner.get('/programs/?types=micromasters,xseries')).body.count).toBe(2);
    expect((await learner.get('/programs/?status=bogus')).status).toBe(400);
  });

  it('refuses an excluded run that is not a run of the program courses', async () => {
    const org = await admin.org();
    const stranger = await admin.course(org, 'audit');
    const run = await admin.run(stranger.key, 'audit');
    const res = await admin.post('/programs/', {
      title: 'Bad',
      type: 'xseries',
      courses: [courseA],
      excluded_course_runs: [run.key],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('excluded_run_not_in_program');
    const unknown = await admin.post('/programs/', { title: 'Bad', type: 'nope', courses: [] });
    expect(unknown.body.error_code).toBe('unknown_program_type');
    const noCourse = await admin.post('/programs/', { title: 'Bad', type: 'xseries', courses: ['edX+Nope'] });
    expect(noCourse.body.error_code).toBe('unknown_course');
  });

  it('updates a program; dropping a course drops the exclusions of its runs', async () => {
    const patched = await admin.patch(`/programs/${programUuid}/`, { excluded_course_runs: [a1, b1] });
    expect(patched.body.excluded_course_runs).toEqual([a1, b1].sort());
    const dropped = await admin.patch(`/programs/${programUuid}/`, { courses: [courseA] });
    expect(dropped.body.courses.map((c: { key: string }) => c.key)).toEqual([courseA]);
    expect(dropped.body.excluded_course_runs).toEqual([a1]);
    const restored = await admin.patch(`/programs/${programUuid}/`, {
      courses: [courseA, courseB],
      title: 'DS XSeries',
    });
    expect(restored.body).toMatchObject({ title: 'DS XSeries', excluded_course_runs: [a1] });
  });

  it('refuses program writes to a learner with 403', async () => {
    expect((await learner.post('/programs/', { title: 'X', type: 'xseries' })).status).toBe(403);
    expect((await learner.patch(`/programs/${programUuid}/`, { title: 'X' })).status).toBe(403);
  });

  describe('reads for other modules', () => {
    it("gives a program's courses, runs and excluded run keys", async () => {
      const program = await getProgramWithRuns(t.app.campus, t.db.kysely, programUuid);
      expect(program).toMatchObject({
        type: 'xseries',
        status: 'active',
        excludedRunKeys: [a1],
        courses: [
          { key: courseA, runKeys: [a2] },
          { key: courseB, runKeys: [b1] },
        ],
      });
      expect(
        await getProgramWithRuns(t.app.campus, t.db.kysely, '00000000-0000-4000-8000-000000000000'),
      ).toBeNull();
    });

    it("gives a run's modes and seat prices in cents", async () => {
      expect(await runModesAndPrices(t.db.kysely, a1)).toMatchObject({
        runKey: a1,
        courseKey: courseA,
        modes: ['audit', 'verified'],
        seats: expect.arrayContaining([
          expect.objectContaining({ seatType: 'verified', priceCents: 5000 }),
          expect.objectContaining({ seatType: 'audit', priceCents: 0 }),
        ]),
      });
      expect(await runModesAndPrices(t.db.kysely, 'course-v1:No+Such+Run')).toBeNull();
    });

    it('prices a run key by its paid seat and a course key by its advertised run', async () => {
      expect(await contentPrice(t.app.campus, t.db.kysely, a2)).toBe(5500);
      // Unpublished runs are not marketable: course A advertises no run, so it has no price.
      expect(await contentPrice(t.app.campus, t.db.kysely, courseA)).toBeNull();
      for (const run of [a1, a2]) {
        expect((await admin.patch(`/course_runs/${run}/`, { status: 'published' })).status).toBe(200);
      }
      // Neither run of A has started at the test clock: the earliest upcoming one is advertised,
      // the same run the course page names (one rule for both).
      expect(await contentPrice(t.app.campus, t.db.kysely, courseA)).toBe(5000);
      const page = await admin.get(`/courses/${courseA}/`);
      const advertised = page.body.course_runs.find(
        (r: { uuid: string }) => r.uuid === page.body.advertised_course_run_uuid,
      );
      expect(advertised?.key).toBe(a1);
      expect(await contentPrice(t.app.campus, t.db.kysely, b1)).toBeNull();
      expect(await contentPrice(t.app.campus, t.db.kysely, 'edX+Nope')).toBeNull();
    });

    it('looks up runs and courses by key', async () => {
      expect((await getRunByKey(t.app.campus, t.db.kysely, a1))?.course).toBe(courseA);
      expect((await getCourseByKey(t.app.campus, t.db.kysely, courseA))?.course_run_keys).toEqual([a1, a2]);
      expect(await getRunByKey(t.app.campus, t.db.kysely, 'nope')).toBeNull();
    });
  });
});
