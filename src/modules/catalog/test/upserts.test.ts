import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import type { AppContext } from '../../../context.js';
import {
  type CourseRunUpsert,
  type CourseUpsert,
  upsertCourse,
  upsertCourseRun,
  upsertOrganization,
  upsertProgram,
} from '../index.js';
import { catalogClient, seatsOf } from './fixtures.js';

describe('get-or-create writes for importers', () => {
  let t: TestApp;
  let ctx: AppContext;
  let read: ReturnType<typeof catalogClient>;

  const course: CourseUpsert = {
    key: 'HarvardX+CS50',
    title: 'CS50',
    courseType: 'verified-audit',
    entitlements: [{ mode: 'verified', priceCents: 19900 }],
  };
  const run: CourseRunUpsert = {
    key: 'course-v1:HarvardX+CS50+1T2026',
    course: 'HarvardX+CS50',
    runType: 'verified-audit',
    start: new Date('2026-01-15T00:00:00Z'),
    end: new Date('2026-12-15T00:00:00Z'),
    status: 'published',
    seats: [
      { type: 'audit', priceCents: 0 },
      { type: 'verified', priceCents: 19900 },
    ],
  };

  const importAll = () =>
    ctx.db.transaction(async (trx) => [
      (await upsertOrganization(ctx, trx, { key: 'HarvardX', name: 'Harvard' })).outcome,
      (await upsertCourse(ctx, trx, course)).outcome,
      (await upsertCourseRun(ctx, trx, run)).outcome,
      (
        await upsertProgram(ctx, trx, {
          title: 'CS Program',
          type: 'professional-certificate',
          courses: ['HarvardX+CS50'],
          excludedCourseRuns: [],
        })
      ).outcome,
    ]);

  beforeAll(async () => {
    t = await testApp();
    ctx = t.app.campus;
    read = catalogClient(t, (await personas(t)).learnerA!);
  });
  afterAll(() => t.close());

  it('creates on the first run and changes nothing on the second', async () => {
    expect(await importAll()).toEqual(['created', 'created', 'created', 'created']);
    expect(await importAll()).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    const got = (await read.get('/course_runs/course-v1:HarvardX+CS50+1T2026/')).body;
    expect(seatsOf(got)).toEqual({ audit: '0.00', verified: '199.00' });
    expect(got.seats.find((s: { type: string }) => s.type === 'verified').upgrade_deadline).toBe(
      '2026-12-05T23:59:59.000Z',
    );
    expect((await read.get('/programs/?types=professional-certificate')).body.count).toBe(1);
  });

  it('updates what changed and reports it', async () => {
    const outcomes = await ctx.db.transaction(async (trx) => [
      (await upsertCourse(ctx, trx, { ...course, title: 'CS50x' })).outcome,
      (
        await upsertCourseRun(ctx, trx, {
          ...run,
          seats: [
            { type: 'audit', priceCents: 0 },
            { type: 'verified', priceCents: 9900 },
          ],
        })
      ).outcome,
    ]);
    expect(outcomes).toEqual(['updated', 'updated']);
    expect(seatsOf((await read.get('/course_runs/course-v1:HarvardX+CS50+1T2026/')).body).verified).toBe(
      '99.00',
    );
  });

  it('accepts the empty run type inside any course type, as imported data may', async () => {
    const result = await ctx.db.transaction((trx) =>
      upsertCourseRun(ctx, trx, {
        ...run,
        key: 'course-v1:HarvardX+CS50+2T2026',
        runType: 'empty',
        seats: [],
      }),
    );
    expect(result.outcome).toBe('created');
  });

  it('keeps the seats of an imported empty-type run when an editor changes only its title', async () => {
    await ctx.db.transaction((trx) =>
      upsertCourseRun(ctx, trx, {
        ...run,
        key: 'course-v1:HarvardX+CS50+1T2027',
        start: new Date('2027-01-10T00:00:00Z'),
        end: new Date('2027-04-10T00:00:00Z'),
        runType: 'empty',
        seats: [{ type: 'verified', priceCents: 4900 }],
      }),
    );
    const staff = catalogClient(t, (await personas(t)).staff!);
    const res = await staff.patch('/course_runs/course-v1:HarvardX+CS50+1T2027/', { title: 'CS50 (spring)' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('CS50 (spring)');
    expect(seatsOf(res.body)).toEqual({ verified: '49.00' });
  });

  it('refuses a run type outside the course type, and seats outside the run type', async () => {
    await expect(
      ctx.db.transaction((trx) =>
        upsertCourseRun(ctx, trx, {
          ...run,
          key: 'course-v1:HarvardX+CS50+3T2026',
          runType: 'professional',
          seats: [],
        }),
      ),
    ).rejects.toMatchObject({ errorCode: 'run_type_not_allowed_for_course_type' });
    await expect(
      ctx.db.transaction((trx) =>
        upsertCourseRun(ctx, trx, {
          ...run,
          key: 'course-v1:HarvardX+CS50+3T2026',
          seats: [{ type: 'professional', priceCents: 100 }],
        }),
      ),
    ).rejects.toMatchObject({ errorCode: 'seat_type_not_in_run_type' });
  });

  it('refuses a course of an unknown organization or type', async () => {
    await expect(
      ctx.db.transaction((trx) => upsertCourse(ctx, trx, { ...course, key: 'NoOrg+X1' })),
    ).rejects.toMatchObject({ errorCode: 'unknown_organization' });
    await expect(
      ctx.db.transaction((trx) =>
        upsertCourse(ctx, trx, { ...course, key: 'HarvardX+X2', courseType: 'gold' }),
      ),
    ).rejects.toMatchObject({ errorCode: 'unknown_course_type' });
  });
});
