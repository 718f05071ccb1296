import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { signDevToken } from '../src/http/auth.js';
import * as policies from '../src/modules/access/policy.repository.js';
import { FixedClock } from '../src/shared/clock.js';
import { ENTERPRISE_A } from '../test/support/app.js';
import { type Benchmark, load, loadFigures } from './harness.js';
import { benchDatabase } from './postgres.js';

async function call(base: string, method: 'GET' | 'POST', url: string, token: string, body?: object) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

const LEARNERS = 1_000;
/** The admin list is measured over this many assignments, then over LARGE: it should stay flat. */
const FILL = 10_000;
const LARGE = 1_000_000;
/** Allocate calls measured on each side; the median is reported. */
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * An allocate call of 1,000 learner emails (median time of three, and its statement count: one
 * transaction, a bounded number of statements) beside the same rows written in bare SQL in one transaction; and the
 * admin list filtered by `learner_state__in=waiting` over 10,000 assignments beside /healthz,
 * then over 1,000,000 beside itself at 10,000 (a list that stays flat as the table grows).
 */
export const assignmentsBenchmark: Benchmark = {
  name: 'assignments',
  description: `allocate of ${LEARNERS} learners in one call, and the admin list over ${FILL} then ${LARGE} assignments (PostgreSQL)`,
  async run(log) {
    const statements: string[] = [];
    const env = await benchDatabase(60, { onQuery: (s) => statements.push(s) });
    if ('skip' in env) {
      log(`  skipped: ${env.skip}`);
      return [];
    }
    const config = testConfig();
    const secret = config.jwt.secret ?? '';
    const clock = new FixedClock('2026-06-01T12:00:00Z');
    const app = await buildApp({ db: env.db, config, clock, logger: pino({ level: 'silent' }) });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const post = (url: string, token: string, body?: object) => call(base, 'POST', url, token, body);
    try {
      const staff = await signDevToken(secret, { userId: 1, username: 'staff', isStaff: true }, clock.now());
      log('  setting up a customer, a run, a subsidy and an assigned-credit policy ...');
      await post('/catalog/api/v1/organizations/', staff, { key: 'BenchA', name: 'Bench' });
      const course = await post('/catalog/api/v1/courses/', staff, {
        title: 'Bench',
        number: 'A1',
        org: 'BenchA',
        type: '5eed0000-0000-4000-8000-000000000303',
      });
      const run = await post('/catalog/api/v1/course_runs/', staff, {
        course: course.key,
        start: '2026-05-20T00:00:00Z',
        end: '2026-12-15T00:00:00Z',
        enrollment_end: '2026-11-01T00:00:00Z',
        run_type: '5eed0000-0000-4000-8000-000000000203',
        prices: { verified: 1 },
      });
      const runKey = String(run.key);
      await post('/enterprise/api/v1/enterprise-customer/', staff, {
        uuid: ENTERPRISE_A,
        name: 'A',
        slug: 'a',
      });
      const catalog = await post('/enterprise/api/v1/enterprise-catalogs/', staff, {
        enterprise_customer: ENTERPRISE_A,
        title: 'all',
        content_filter: { org: 'BenchA' },
      });
      const subsidy = await post('/subsidy/api/v1/subsidies/', staff, {
        reference_id: 'bench-assignments',
        default_title: 'bench',
        default_enterprise_customer_uuid: ENTERPRISE_A,
        default_active_datetime: '2026-01-01T00:00:00Z',
        default_expiration_datetime: '2027-01-01T00:00:00Z',
        default_starting_balance: 1_000_000_000,
      });
      const assignedPolicy = async () => {
        const conf = await post('/access/api/v1/assignment-configurations/', staff, {
          enterprise_customer_uuid: ENTERPRISE_A,
        });
        const policy = await policies.insert(env.db.kysely, {
          uuid: crypto.randomUUID(),
          policy_type: 'AssignedLearnerCreditAccessPolicy',
          enterprise_customer_uuid: ENTERPRISE_A,
          display_name: 'Assigned',
          active: true,
          catalog_uuid: String(catalog.uuid),
          subsidy_uuid: String(subsidy.uuid),
          access_method: 'assigned',
          spend_limit: 1_000_000_000,
          per_learner_enrollment_limit: null,
          per_learner_spend_limit: null,
          retired_at: null,
          late_redemption_allowed_until: null,
          assignment_configuration_uuid: String(conf.uuid),
          learner_credit_request_config_uuid: null,
          created: clock.now(),
          modified: clock.now(),
        });
        return { policy, config: String(conf.uuid) };
      };
      const allocated = await assignedPolicy();
      const filled = await assignedPolicy();
      const baseline = await assignedPolicy();

      // (a) allocate of 1,000 learners: one call, one transaction. Each side runs ROUNDS times on
      // fresh emails and reports its median: one cold call measured the JIT as much as the SQL.
      log(`  allocate of ${LEARNERS} learner emails in one call, ${ROUNDS} times ...`);
      const emailsOf = (prefix: string) =>
        Array.from({ length: LEARNERS }, (_, i) => `${prefix}-learner${i}@example.com`);
      const allocate = (policyUuid: string, emails: string[]) =>
        post(`/access/api/v1/policy-allocation/${policyUuid}/allocate/`, staff, {
          learner_emails: emails,
          content_key: runKey,
          content_price_cents: 100,
        });
      // Warm up the route and the connection pool with a call of the same size on another policy.
      await allocate(baseline.policy.uuid, emailsOf('warm'));
      const allocateMs: number[] = [];
      let statementCount = 0;
      for (let round = 0; round < ROUNDS; round++) {
        statements.length = 0;
        const t0 = performance.now();
        const result = await allocate(allocated.policy.uuid, emailsOf(`r${round}`));
        allocateMs.push(performance.now() - t0);
        statementCount = statements.length;
        if ((result.created as unknown[]).length !== LEARNERS)
          throw new Error(`allocate created ${(result.created as unknown[]).length} assignments`);
      }

      log(
        `  bare SQL: lock policy, insert ${LEARNERS} assignments + actions + outbox rows, one transaction, ${ROUNDS} times ...`,
      );
      const client = new pg.Client({ connectionString: env.url });
      // The server stops in `finally` if anything fails: no unhandled error event from this client.
      client.on('error', () => {});
      await client.connect();
      const bareMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const b0 = performance.now();
        await client.query('begin');
        await client.query('select uuid from subsidy_access_policies where uuid = $1 for update', [
          baseline.policy.uuid,
        ]);
        const bareEmails = emailsOf(`bare${round}`);
        const inserted = await client.query<{ uuid: string; learner_email: string }>(
          `insert into learner_content_assignments (uuid, assignment_configuration_uuid, learner_email, content_key,
             parent_content_key, is_assigned_course_run, content_title, content_quantity, preferred_course_run_key,
             state, allocated_at, allocation_batch_id, notified_ok, created, modified)
           select gen_random_uuid(), $1, e, $2, $4, true, 'Bench', -100, $2, 'allocated', now(), gen_random_uuid(),
             true, now(), now()
             from unnest($3::text[]) as e
           returning uuid, learner_email`,
          [baseline.config, runKey, bareEmails, String(course.key)],
        );
        await client.query(
          `insert into learner_content_assignment_actions (uuid, assignment_uuid, action_type, completed_at, created, modified)
           select gen_random_uuid(), u, 'notified', now(), now(), now() from unnest($1::uuid[]) as u`,
          [inserted.rows.map((r) => r.uuid)],
        );
        await client.query(
          `insert into outbox (uuid, idempotency_key, template, to_address, context, subject, text_body, html_body,
             next_attempt_at, created, modified)
           select gen_random_uuid(), 'bare:' || e, 'assignments.assigned', e, '{}'::jsonb, 'Assigned', 'text', '<p>html</p>',
             now(), now(), now() from unnest($1::text[]) as e`,
          [bareEmails],
        );
        await client.query('commit');
        bareMs.push(performance.now() - b0);
      }

      // (b) the admin list over 10,000 assignments, then 1,000,000, filled in SQL.
      // i % 5: 0 allocated + notified (waiting), 1 allocated (notifying), 2 accepted, 3 cancelled, 4 expired.
      const fill = async (from: number, to: number) => {
        log(`  filling assignments ${from.toLocaleString()} to ${to.toLocaleString()} in SQL ...`);
        // The fill is set-up, not a change anyone made: no change-history rows (a million of them
        // would triple the fill's time). The list's counting triggers stay on.
        await client.query(
          'alter table learner_content_assignments disable trigger learner_content_assignments_history_insert',
        );
        await client.query(
          `insert into learner_content_assignments (uuid, assignment_configuration_uuid, learner_email, content_key,
             content_title, content_quantity, preferred_course_run_key, state, allocated_at, accepted_at, cancelled_at,
             expired_at, transaction_uuid, allocation_batch_id, notified_ok, created, modified)
           select gen_random_uuid(), $1, 'fill' || i || '@example.com', $2, 'Bench', -100, $2,
             (array['allocated','allocated','accepted','cancelled','expired'])[i % 5 + 1],
             $3::timestamptz - make_interval(secs => i),
             case when i % 5 = 2 then $3::timestamptz end,
             case when i % 5 = 3 then $3::timestamptz end,
             case when i % 5 = 4 then $3::timestamptz end,
             case when i % 5 = 2 then gen_random_uuid() end,
             gen_random_uuid(), i % 5 = 0, $3::timestamptz, $3::timestamptz
           from generate_series($4::int, $5::int) as i`,
          [filled.config, runKey, clock.now().toISOString(), from, to],
        );
        // The action each summary flag stands for.
        await client.query(
          `insert into learner_content_assignment_actions (uuid, assignment_uuid, action_type, completed_at, created, modified)
           select gen_random_uuid(), a.uuid, 'notified', a.allocated_at, a.allocated_at, a.allocated_at
             from learner_content_assignments a
            where a.assignment_configuration_uuid = $1 and a.notified_ok and a.state = 'allocated'
              and split_part(split_part(a.learner_email, '@', 1), 'fill', 2)::int between $2 and $3`,
          [filled.config, from, to],
        );
        await client.query(
          'alter table learner_content_assignments enable trigger learner_content_assignments_history_insert',
        );
        // Vacuumed now, so autovacuum does not take the machine's cores during the measurement.
        await client.query(
          'vacuum (analyze) learner_content_assignments, learner_content_assignment_actions',
        );
      };
      const listUrl = `${base}/access/api/v1/assignment-configurations/${filled.config}/admin/assignments/?learner_state__in=waiting`;
      const measureList = async (size: number) => {
        const l0 = performance.now();
        const first = await call(base, 'GET', listUrl.slice(base.length), staff);
        log(
          `  one admin list request alone over ${size.toLocaleString()}: ${Math.round(performance.now() - l0)} ms`,
        );
        if (first.count !== size / 5) throw new Error(`the list counted ${String(first.count)} waiting`);
        log(
          `  admin list ?learner_state__in=waiting over ${size.toLocaleString()} assignments, 10 clients, 5 s ...`,
        );
        // A second of load first, not counted: the first size measured should not pay for the JIT.
        await load(listUrl, { headers: { authorization: `JWT ${staff}` }, connections: 10, seconds: 1 });
        const list = await load(listUrl, {
          headers: { authorization: `JWT ${staff}` },
          connections: 10,
          seconds: 5,
        });
        // Answers that were not 2xx are a finding to print, not a reason to lose the figures.
        if (list.non2xx > 0 || list.errors > 0)
          log(`  ! the list answered ${list.non2xx} non-2xx and ${list.errors} errors under load`);
        return list;
      };
      // A click on the table's "Status" header: a sort the indexes do not give, timed alone.
      const sortedUrl = `${listUrl.slice(base.length)}&ordering=learner_state_sort_order`;
      const sortedAlone = async () => {
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const t0 = performance.now();
          await call(base, 'GET', sortedUrl, staff);
          times.push(performance.now() - t0);
        }
        return median(times);
      };
      await fill(1, FILL);
      const small = await measureList(FILL);
      const smallSorted = await sortedAlone();
      await fill(FILL + 1, LARGE);
      const large = await measureList(LARGE);
      log(`  the list sorted by status, one request at a time, ${ROUNDS} times ...`);
      const largeSorted = await sortedAlone();
      await client.end();
      log('  /healthz on the same server, 10 clients, 5 s ...');
      const health = await load(`${base}/healthz`, { connections: 10, seconds: 5 });
      return [
        {
          label: `allocate of ${LEARNERS} learner emails in one call (PostgreSQL)`,
          subject: [
            { name: `Campus allocate (median of ${ROUNDS})`, value: median(allocateMs), unit: 'ms' },
            { name: 'Campus statements (whole request)', value: statementCount, unit: 'stmts' },
          ],
          baseline: [
            {
              name: `same rows, bare SQL, one transaction (median of ${ROUNDS})`,
              value: median(bareMs),
              unit: 'ms',
            },
            { name: 'bare SQL statements (without begin/commit)', value: 4, unit: 'stmts' },
          ],
        },
        {
          label: `admin list, learner_state__in=waiting (${FILL / 5} of ${FILL.toLocaleString()} assignments)`,
          subject: loadFigures('campus admin list', small),
          baseline: loadFigures('campus /healthz', health),
        },
        {
          label: `the same list over ${LARGE.toLocaleString()} assignments (${(LARGE / 5).toLocaleString()} waiting)`,
          subject: loadFigures(`list at ${LARGE.toLocaleString()}`, large),
          baseline: loadFigures(`list at ${FILL.toLocaleString()}`, small),
        },
        {
          label: `the list sorted by status (ordering=learner_state_sort_order), one request alone, median of ${ROUNDS}`,
          subject: [{ name: `sorted at ${LARGE.toLocaleString()}`, value: largeSorted, unit: 'ms' }],
          baseline: [{ name: `sorted at ${FILL.toLocaleString()}`, value: smallSorted, unit: 'ms' }],
        },
      ];
    } finally {
      await app.close();
      await env.close();
    }
  },
};
