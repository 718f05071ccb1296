import { afterAll, beforeAll, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { COURSE_TYPE, RUN_TYPE } from './fixtures.js';

describePg('catalog writes racing on one database', () => {
  let t: TestApp;
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let staff: string;

  beforeAll(async () => {
    pg = await createPgDatabase();
    t = await testApp({ db: pg.db });
    staff = (await personas(t)).staff!;
    await t.request({
      method: 'POST',
      url: '/catalog/api/v1/organizations/',
      payload: { key: 'edX', name: 'edX' },
      as: staff,
    });
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  const post = (url: string, payload: object) =>
    t.request({ method: 'POST', url: `/catalog/api/v1${url}`, payload, as: staff });

  it('gives ten runs created at once in one trimester ten distinct keys', async () => {
    await post('/courses/', {
      title: 'Race',
      number: 'race1',
      org: 'edX',
      type: COURSE_TYPE['verified-audit'],
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        post('/course_runs/', {
          course: 'edX+race1',
          start: '2026-09-01',
          end: '2026-12-01',
          run_type: RUN_TYPE['verified-audit'],
          prices: { verified: 49 },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const keys = results.map((r) => r.json().key).sort();
    expect(keys).toEqual(['', ...'abcdefghi'].map((s) => `course-v1:edX+race1+3T2026${s}`));
  });

  it('creates a course key once when five requests race for it; the others get duplicate_course_key', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        post('/courses/', { title: 'Dup', number: 'dup1', org: 'edX', type: COURSE_TYPE.audit }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 400, 400, 400, 400]);
    expect(results.filter((r) => r.statusCode === 400).map((r) => r.json().error_code)).toEqual(
      Array(4).fill('duplicate_course_key'),
    );
  });
});
