import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { catalogClient, RUN_TYPE } from '../../../../test/support/catalog.js';
import { findJob, runJob } from '../../../jobs.js';
import { assignmentsWorld } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;
const adminApi = (config: string) => `/access/api/v1/assignment-configurations/${config}/admin/assignments`;
const EXEC_ED_TYPE = '5eed0000-0000-4000-8000-00000000e0e0';

describe('nudge (executive education)', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;
  let execRun: string;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
    const now = t.clock.now();
    await t.db.kysely
      .insertInto('catalog_course_types')
      .values({
        uuid: EXEC_ED_TYPE,
        name: 'Executive Education (2U)',
        slug: 'executive-education-2u',
        created: now,
        modified: now,
      })
      .execute();
    await t.db.kysely
      .insertInto('catalog_course_type_run_types')
      .values({ course_type_uuid: EXEC_ED_TYPE, run_type_uuid: RUN_TYPE['verified-audit'], position: 0 })
      .execute();
    const catalog = catalogClient(t, as.staff);
    const course = await catalog.post('/courses/', {
      title: 'Leadership',
      number: 'EXEC1',
      org: w.org,
      type: EXEC_ED_TYPE,
    });
    if (course.status !== 201) throw new Error(JSON.stringify(course.body));
    // The test clock is 2026-06-01T12:00Z: this run starts in exactly 30 days.
    const run = await catalog.run(course.body.key, 'verified-audit', {
      start: '2026-07-01T09:00:00Z',
      end: '2026-09-01T00:00:00Z',
      enrollment_end: '2026-06-30T00:00:00Z',
      prices: { verified: '100.00' },
    });
    execRun = run.key;
  });
  afterAll(() => t.close());

  const allocate = async (policyUuid: string, key: string, emails: string[]) => {
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      payload: { learner_emails: emails, content_key: key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    expect(res.statusCode, res.body).toBe(202);
    return (res.json().created as Array<{ uuid: string }>).map((a) => a.uuid);
  };
  const accept = (uuids: string[]) =>
    t.db.kysely
      .updateTable('learner_content_assignments')
      .set({ state: 'accepted', accepted_at: t.clock.now(), transaction_uuid: crypto.randomUUID() })
      .where('uuid', 'in', uuids)
      .execute();
  const nudges = () =>
    t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('template', '=', 'assignments.exec_ed_nudge')
      .execute();

  it('emails accepted exec-ed learners whose run starts in N days and records `reminded` (D20)', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const [a, b] = await allocate(policy.uuid, execRun, ['nudge1@example.com', 'nudge2@example.com']);
    await accept([a as string]);
    const ok = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [a], days_before_course_start_date: 30 },
      as: as.adminA,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ nudged_assignment_uuids: [a], unnudged_assignment_uuids: [] });
    expect((await nudges()).map((m) => m.to_address)).toEqual(['nudge1@example.com']);
    const actions = await t.db.kysely
      .selectFrom('learner_content_assignment_actions')
      .select(['action_type', 'error_reason'])
      .where('assignment_uuid', '=', a as string)
      .where('action_type', '=', 'reminded')
      .execute();
    expect(actions).toEqual([{ action_type: 'reminded', error_reason: null }]);

    // The reference answers 200 and lists these as unnudged; Campus refuses with 422 naming them
    // (b is still allocated; 29 days does not match the start) and sends nothing.
    const refused = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [a, b], days_before_course_start_date: 29 },
      as: as.adminA,
    });
    expect(refused.statusCode).toBe(422);
    expect([...refused.json().unnudged_assignment_uuids].sort()).toEqual([a, b].sort());
    expect(await nudges()).toHaveLength(1);

    const unknown = crypto.randomUUID();
    const notFound = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [unknown], days_before_course_start_date: 30 },
      as: as.adminA,
    });
    expect(notFound.statusCode).toBe(422);
    expect(notFound.json().not_found).toEqual([unknown]);

    const zero = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [a], days_before_course_start_date: 0 },
      as: as.adminA,
    });
    expect(zero.statusCode).toBe(400);
    const other = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [a], days_before_course_start_date: 30 },
      as: as.adminB,
    });
    expect(other.statusCode).toBe(403);
  });

  it('a non-exec-ed accepted assignment is not nudgeable', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const [a] = await allocate(policy.uuid, w.run.key, ['plain@example.com']);
    await accept([a as string]);
    const res = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/nudge/`,
      payload: { assignment_uuids: [a], days_before_course_start_date: 30 },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().unnudged_assignment_uuids).toEqual([a]);
  });

  it('the nudge-assignments job nudges due ones once; dry run only counts', async () => {
    const { policy } = await w.assignedPolicy(100_000);
    const [a] = await allocate(policy.uuid, execRun, ['jobnudge@example.com']);
    await accept([a as string]);
    const job = findJob('nudge-assignments');
    if (!job) throw new Error('no job');
    expect(job.everyMs).toBeNull();
    const before = (await nudges()).length;
    const dry = await runJob(t.app.campus, job, { daysBeforeStart: 30, dryRun: true });
    expect(dry.ran && dry.result.nudged).toBe(0);
    expect(dry.ran && (dry.result.due as number) >= 1).toBe(true);
    const none = await runJob(t.app.campus, job, { daysBeforeStart: 10 });
    expect(none.ran && none.result.due).toBe(0);
    const first = await runJob(t.app.campus, job, { daysBeforeStart: 30 });
    expect(first.ran && (first.result.nudged as number) >= 1).toBe(true);
    const mail = await nudges();
    expect(mail.map((m) => m.to_address)).toContain('jobnudge@example.com');
    const again = await runJob(t.app.campus, job, { daysBeforeStart: 30 });
    expect(again.ran && again.result.nudged).toBe(0);
    expect((await nudges()).length).toBe(mail.length);
    expect(mail.length).toBeGreaterThan(before);
  });
});
