import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { findJob, runJob } from '../../../jobs.js';
import { reverseTransaction, verifyLedgers } from '../../ledger/index.js';
import { allocatedCentsOfConfigurations, expireAssignments } from '../index.js';
import { assignmentsWorld, deliverMail } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;
const adminApi = (config: string) => `/access/api/v1/assignment-configurations/${config}/admin/assignments`;

describe('cancel-all and remind-all', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;
  beforeAll(async () => {
    t = await testApp({ config: { reminderIntervalHours: 1 } });
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const allocate = async (policyUuid: string, emails: string[]) => {
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(202);
    await deliverMail(t);
    return res.json().created as Array<{ uuid: string; learner_email: string }>;
  };
  const state = async (config: string, uuid: string) =>
    (await t.request({ method: 'GET', url: `${adminApi(config)}/${uuid}/`, as: as.adminA })).json().state;

  it('remind-all reminds the allocated assignments the list filters select; none → 404 (D14)', async () => {
    const started = t.clock.now();
    const { policy, config } = await w.assignedPolicy(100_000);
    const [r1, r2, r3] = await allocate(policy.uuid, [
      'ra1@example.com',
      'ra2@example.com',
      'ra3@example.com',
    ]);
    await t.request({
      method: 'POST',
      url: `${adminApi(config)}/cancel/`,
      payload: { assignment_uuids: [r3?.uuid] },
      as: as.adminA,
    });
    t.clock.advance(60_000);
    const filtered = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/remind-all/?learner_email=ra1@example.com`,
      as: as.adminA,
    });
    expect(filtered.statusCode).toBe(202);
    expect(filtered.json()).toEqual({ reminded: [r1?.uuid] });
    // Without filters: every allocated one, never the cancelled one — and not ra1 again a minute
    // after its reminder: one reminder per assignment per REMINDER_INTERVAL_HOURS (1 here).
    t.clock.advance(60_000);
    const all = await t.request({ method: 'POST', url: `${adminApi(config)}/remind-all/`, as: as.adminA });
    expect(all.statusCode).toBe(202);
    expect(all.json().reminded).toEqual([r2?.uuid]);
    const again = await t.request({ method: 'POST', url: `${adminApi(config)}/remind-all/`, as: as.adminA });
    expect(again.statusCode).toBe(422);
    expect(again.json().error_code).toBe('reminder_too_soon');
    // An hour later both may be reminded again (with tokens signed in that hour).
    t.clock.advance(3600_000);
    Object.assign(as, await personas(t));
    const nextDay = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/remind-all/`,
      as: as.adminA,
    });
    expect([...nextDay.json().reminded].sort()).toEqual([r1?.uuid, r2?.uuid].sort());
    const mail = await t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('template', '=', 'assignments.reminder')
      .execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual(
      ['ra1@example.com', 'ra1@example.com', 'ra2@example.com', 'ra2@example.com'].sort(),
    );
    const cancelledOnly = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/remind-all/?state=cancelled`,
      as: as.adminA,
    });
    expect(cancelledOnly.statusCode).toBe(404);
    const other = await t.request({ method: 'POST', url: `${adminApi(config)}/remind-all/`, as: as.adminB });
    expect(other.statusCode).toBe(403);
    // The other tests of this file run at the time their world's tokens were signed.
    t.clock.set(started.toISOString());
    Object.assign(as, await personas(t));
  });

  it('cancel-all cancels the allocated/errored assignments the filters select and emails them; none → 404 (D13)', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const [c1, c2, c3] = await allocate(policy.uuid, [
      'ca1@example.com',
      'ca2@example.com',
      'ca3@example.com',
    ]);
    // Every assignment has a successful notification: learner_state waiting, none notifying.
    const none = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/cancel-all/?learner_state=notifying`,
      as: as.adminA,
    });
    expect(none.statusCode).toBe(404);
    const some = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/cancel-all/?learner_state=waiting&learner_email__in=ca1@example.com,ca2@example.com`,
      as: as.adminA,
    });
    expect(some.statusCode).toBe(202);
    expect([...some.json().cancelled].sort()).toEqual([c1?.uuid, c2?.uuid].sort());
    expect(await state(config, c1?.uuid ?? '')).toBe('cancelled');
    expect(await state(config, c3?.uuid ?? '')).toBe('allocated');
    const mail = await t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('template', '=', 'assignments.cancelled')
      .where('to_address', 'like', 'ca%')
      .execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual(['ca1@example.com', 'ca2@example.com']);
    // Already-cancelled ones are not selected again.
    const rest = await t.request({ method: 'POST', url: `${adminApi(config)}/cancel-all/`, as: as.adminA });
    expect(rest.json()).toEqual({ cancelled: [c3?.uuid] });
    expect((await allocatedCentsOfConfigurations(t.db.kysely, [config])).get(config)).toBe(0);
    const again = await t.request({ method: 'POST', url: `${adminApi(config)}/cancel-all/`, as: as.adminA });
    expect(again.statusCode).toBe(404);
    const bad = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/cancel-all/?state=bogus`,
      as: as.adminA,
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('expire-assignments job', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    t.clock.set('2026-06-01T12:00:00Z');
    as = await personas(t);
  });

  const job = findJob('expire-assignments');
  /** A dry run evaluates as of `at`; a real run happens when the clock says `at`. */
  const run = async (at: string, dryRun = false) => {
    if (!job) throw new Error('no job');
    if (!dryRun) t.clock.set(at);
    const r = await runJob(t.app.campus, job, dryRun ? { asOf: new Date(at), dryRun } : {});
    if (!r.ran) throw new Error('did not run');
    as = await personas(t);
    return r.result;
  };
  const row = (uuid: string) =>
    t.db.kysely
      .selectFrom('learner_content_assignments')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirstOrThrow();

  it('is scheduled daily', () => {
    expect(job?.everyMs).toBe(24 * 3600_000);
  });

  it('refuses a future as-of without a dry run: it would take credit away before it is due', async () => {
    if (!job) throw new Error('no job');
    await expect(runJob(t.app.campus, job, { asOf: new Date('2026-09-01T00:00:00Z') })).rejects.toMatchObject(
      {
        errorCode: 'as_of_in_future',
      },
    );
  });

  it('reports progress over the allocated assignments it looks at', async () => {
    const { policy } = await w.assignedPolicy(100_000);
    await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['p1@example.com', 'p2@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    const seen: Array<[number, number]> = [];
    await expireAssignments(t.app.campus, {
      dryRun: true,
      batchSize: 1,
      onProgress: (d, n) => seen.push([d, n]),
    });
    expect(seen).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const config = policy.assignment_configuration_uuid as string;
    // Leave nothing allocated for the next tests.
    await t.request({
      method: 'POST',
      url: `/access/api/v1/assignment-configurations/${config}/admin/assignments/cancel-all/`,
      as: as.adminA,
    });
  });

  it('expires at allocated_at + 90 days, releases the amount, emails the learner, scrubs the email; idempotent (D17)', async () => {
    // Allocated 2026-06-01T12:00Z; the run's enroll-by is 2026-11-01 and the subsidy ends 2027-01-01.
    const { policy, config } = await w.assignedPolicy(100_000);
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: { learner_emails: ['old@example.com'], content_key: w.run.key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    const uuid = res.json().created[0].uuid as string;
    expect(await run('2026-08-30T11:59:59Z')).toEqual({ checked: 1, due: 0, expired: 0, scrubbed: 0 });
    // --as-of with --dry-run: what would expire by then, nothing changed.
    expect(await run('2026-08-30T12:00:00Z', true)).toEqual({ checked: 1, due: 1, expired: 0, scrubbed: 0 });
    expect((await row(uuid)).state).toBe('allocated');

    expect(await run('2026-08-30T12:00:00Z')).toEqual({ checked: 1, due: 1, expired: 1, scrubbed: 1 });
    const after = await row(uuid);
    expect(after).toMatchObject({ state: 'expired', expired_at: t.clock.now() });
    expect(after.learner_email).toMatch(/^retired_user[0-9a-f]{16}@retired\.invalid$/);
    expect((await allocatedCentsOfConfigurations(t.db.kysely, [config])).get(config)).toBe(0);
    const mail = await t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('template', '=', 'assignments.expired')
      .execute();
    expect(mail.map((m) => m.to_address)).toEqual(['old@example.com']);
    const acts = await t.db.kysely
      .selectFrom('learner_content_assignment_actions')
      .select(['action_type', 'error_reason'])
      .where('assignment_uuid', '=', uuid)
      .where('action_type', '=', 'expired')
      .execute();
    expect(acts).toEqual([{ action_type: 'expired', error_reason: null }]);
    const admin = await t.request({ method: 'GET', url: `${adminApi(config)}/${uuid}/`, as: as.adminA });
    expect(admin.json().learner_state).toBe('expired');

    // Idempotent: nothing allocated is left to look at.
    expect(await run('2026-09-30T12:00:00Z')).toEqual({ checked: 0, due: 0, expired: 0, scrubbed: 0 });
  });

  it('expires at the enroll-by date or the subsidy expiration without scrubbing the email', async () => {
    const { policy } = await w.assignedPolicy(100_000);
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['deadline@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    const uuid = res.json().created[0].uuid as string;
    const runs = t.db.kysely.updateTable('catalog_course_runs').where('key', '=', w.run.key);
    await runs.set({ enrollment_end: new Date('2026-07-01T00:00:00Z') }).execute();
    try {
      expect(await run('2026-07-01T00:00:00Z')).toEqual({ checked: 1, due: 1, expired: 1, scrubbed: 0 });
    } finally {
      await runs.set({ enrollment_end: new Date('2026-11-01T00:00:00Z') }).execute();
    }
    expect(await row(uuid)).toMatchObject({ state: 'expired', learner_email: 'deadline@example.com' });
  });
});

describe('sync-reversed-assignments job', () => {
  let t: TestApp;
  let as: As;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  it('moves an accepted assignment whose redemption was reversed to reversed, once (D19)', async () => {
    const w = await assignmentsWorld(t, as.staff ?? '');
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'assigned',
        display_name: 'Assigned budget',
        active: true,
        spend_limit: 50_000,
      },
    });
    const policy = created.json();
    const config = policy.assignment_configuration.uuid as string;
    const allocated = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      as: as.adminA,
      payload: {
        learner_emails: ['learner.a@example.com', 'other@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
    });
    const [mine, other] = ['learner.a@example.com', 'other@example.com'].map(
      (e) => allocated.json().created.find((a: { learner_email: string }) => a.learner_email === e).uuid,
    );
    const redeemed = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
      payload: { content_key: w.run.key },
      as: as.learnerA,
    });
    expect(redeemed.statusCode).toBe(201);
    const job = findJob('sync-reversed-assignments');
    if (!job) throw new Error('no job');
    expect(job.everyMs).toBe(60_000);
    const sync = async () => {
      const r = await runJob(t.app.campus, job, {});
      return r.ran ? r.result : null;
    };
    expect(await sync()).toEqual({ checked: 1, reversed: 0 });

    t.clock.advance(60_000);
    await t.db.transaction((trx) =>
      reverseTransaction(t.app.campus, trx, {
        transactionUuid: redeemed.json().uuid,
        idempotencyKey: 'refund-1',
      }),
    );
    expect(await sync()).toEqual({ checked: 1, reversed: 1 });
    const row = await t.request({ method: 'GET', url: `${adminApi(config)}/${mine}/`, as: as.adminA });
    expect(row.json()).toMatchObject({ state: 'reversed', reversed_at: t.clock.now().toISOString() });
    expect(row.json().actions.map((a: { action_type: string }) => a.action_type)).toContain('reversed');
    const untouched = await t.request({ method: 'GET', url: `${adminApi(config)}/${other}/`, as: as.adminA });
    expect(untouched.json().state).toBe('allocated');
    expect(await sync()).toEqual({ checked: 0, reversed: 0 });
  });
});

describe('an allocation whose email cannot be queued', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
    // The outbox refuses one address, as a failing insert would.
    await sql`create function refuse_doomed() returns trigger language plpgsql as $$
      begin
        if new.to_address = 'doomed@example.com' then raise exception 'outbox insert failed'; end if;
        return new;
      end $$`.execute(t.db.kysely);
    await sql`create trigger refuse_doomed before insert on outbox for each row execute function refuse_doomed()`.execute(
      t.db.kysely,
    );
  });
  afterAll(() => t.close());

  it('leaves no assignment, no action and no outbox row', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['fine@example.com', 'doomed@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(500);
    const rows = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select('uuid')
      .where('assignment_configuration_uuid', '=', config)
      .execute();
    expect(rows).toEqual([]);
    const actions = await t.db.kysely
      .selectFrom('learner_content_assignment_actions')
      .select('uuid')
      .execute();
    expect(actions).toEqual([]);
    const outbox = await t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('template', 'like', 'assignments.%')
      .execute();
    expect(outbox).toEqual([]);
    // The same allocation without the refused address goes through.
    const ok = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: { learner_emails: ['fine@example.com'], content_key: w.run.key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    expect(ok.statusCode).toBe(202);
  });
});
