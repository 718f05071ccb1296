import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { signDevToken } from '../src/http/auth.js';
import { FixedClock } from '../src/shared/clock.js';
import { ENTERPRISE_A } from '../test/support/app.js';
import { type Benchmark, type LoadResult, load, loadFigures } from './harness.js';
import { benchDatabase } from './postgres.js';

/** The lists are measured over this many requests, then over LARGE: they should stay flat. */
const FILL = 10_000;
const LARGE = 1_000_000;
/** The request tab of the admin portal's budget page (REQUEST_TAB_VISIBLE_STATES). */
const TAB_STATES = 'requested,declined,cancelled,errored';
/** Of every 20 requests: one each requested, declined, cancelled, error, approved; 15 accepted. */
const IN_TAB = 4 / 20;

/**
 * The admin portal's browse-and-request tab as an enterprise admin loads it — the first page of
 * the policy's requests in the tab's states with their count, then the overview (counts by state)
 * — over 10,000 requests beside /healthz, then over 1,000,000 beside itself at 10,000.
 */
export const requestsBenchmark: Benchmark = {
  name: 'requests',
  description: `the admin portal's request list and overview over ${FILL} then ${LARGE} requests (PostgreSQL)`,
  async run(log) {
    const env = await benchDatabase(60);
    if ('skip' in env) {
      log(`  skipped: ${env.skip}`);
      return [];
    }
    const config = testConfig();
    const secret = config.jwt.secret ?? '';
    const clock = new FixedClock('2026-06-01T12:00:00Z');
    const app = await buildApp({ db: env.db, config, clock, logger: pino({ level: 'silent' }) });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, body?: object) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const client = new pg.Client({ connectionString: env.url });
    // The server stops in `finally` if anything fails: no unhandled error event from this client.
    client.on('error', () => {});
    try {
      const staff = await signDevToken(secret, { userId: 1, username: 'staff', isStaff: true }, clock.now());
      const admin = await signDevToken(
        secret,
        {
          userId: 2,
          username: 'admin',
          email: 'admin@example.com',
          roles: [`enterprise_admin:${ENTERPRISE_A}`],
        },
        clock.now(),
      );
      log('  setting up a customer, a course, a subsidy and a browse-and-request policy ...');
      await call('POST', '/catalog/api/v1/organizations/', staff, { key: 'BenchA', name: 'Bench' });
      const course = await call('POST', '/catalog/api/v1/courses/', staff, {
        title: 'Bench',
        number: 'A1',
        org: 'BenchA',
        type: '5eed0000-0000-4000-8000-000000000303',
      });
      await call('POST', '/enterprise/api/v1/enterprise-customer/', staff, {
        uuid: ENTERPRISE_A,
        name: 'A',
        slug: 'a',
      });
      const catalog = await call('POST', '/enterprise/api/v1/enterprise-catalogs/', staff, {
        enterprise_customer: ENTERPRISE_A,
        title: 'all',
        content_filter: { org: 'BenchA' },
      });
      const subsidy = await call('POST', '/subsidy/api/v1/subsidies/', staff, {
        reference_id: 'bench-requests',
        default_title: 'bench',
        default_enterprise_customer_uuid: ENTERPRISE_A,
        default_active_datetime: '2026-01-01T00:00:00Z',
        default_expiration_datetime: '2027-01-01T00:00:00Z',
        default_starting_balance: 1_000_000_000,
      });
      const created = await call('POST', '/access/api/v1/subsidy-access-policies/', staff, {
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: catalog.uuid,
        subsidy_uuid: subsidy.uuid,
        access_method: 'request',
        display_name: 'Browse and request',
        active: true,
        spend_limit: 1_000_000_000,
      });
      const policyUuid = String(created.uuid);
      await call('PATCH', `/access/api/v1/subsidy-access-policies/${policyUuid}/`, staff, {
        bnr_enabled: true,
      });

      await client.connect();
      const { rows } = await client.query<{ config: string }>(
        'select learner_credit_request_config_uuid as config from subsidy_access_policies where uuid = $1',
        [policyUuid],
      );
      const requestConfig = rows[0]?.config;
      if (!requestConfig) throw new Error('the policy has no request configuration');

      const fill = async (from: number, to: number) => {
        log(`  filling requests ${from.toLocaleString()} to ${to.toLocaleString()} in SQL ...`);
        // Set-up, not a change anyone made: no change-history rows. The counting triggers stay on.
        await client.query(
          'alter table learner_credit_requests disable trigger learner_credit_requests_history_insert',
        );
        await client.query(
          `insert into learner_credit_requests (uuid, lms_user_id, email, enterprise_customer_uuid, policy_uuid,
             learner_credit_request_config_uuid, course_id, course_title, course_price, state, requested_at,
             reviewed_at, reviewer_lms_user_id, latest_action_type, latest_action_status, latest_action_time,
             created, modified)
           select gen_random_uuid(), 1000 + i, 'fill' || i || '@example.com', $1, $2, $3, $4, 'Bench', 10000,
             s, $5::timestamptz - make_interval(secs => i),
             case when s <> 'requested' then $5::timestamptz end, case when s <> 'requested' then 2 end,
             s, s, $5::timestamptz - make_interval(secs => i),
             $5::timestamptz - make_interval(secs => i), $5::timestamptz
           from generate_series($6::int, $7::int) as i,
             lateral (select (array['requested','declined','cancelled','error','approved'])[i % 20 + 1] as s0) as pick,
             lateral (select coalesce(pick.s0, 'accepted') as s) as state`,
          [ENTERPRISE_A, policyUuid, requestConfig, String(course.key), clock.now().toISOString(), from, to],
        );
        await client.query(
          'alter table learner_credit_requests enable trigger learner_credit_requests_history_insert',
        );
        // Vacuumed now, so autovacuum does not take the machine's cores during the measurement.
        await client.query('vacuum (analyze) learner_credit_requests');
      };

      const listPath = `/access/api/v1/learner-credit-requests/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${policyUuid}&page=1&page_size=10&state=${TAB_STATES}`;
      const overviewPath = `/access/api/v1/learner-credit-requests/overview/?enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${policyUuid}`;
      const measure = async (what: string, path: string, size: number): Promise<LoadResult> => {
        const t0 = performance.now();
        const first = await call('GET', path, admin);
        log(
          `  one ${what} request alone over ${size.toLocaleString()}: ${Math.round(performance.now() - t0)} ms`,
        );
        if ('count' in first && first.count !== size * IN_TAB)
          throw new Error(`the list counted ${String(first.count)} requests in the tab`);
        log(`  ${what} over ${size.toLocaleString()} requests, 10 clients, 5 s ...`);
        const headers = { authorization: `JWT ${admin}` };
        // A second of load first, not counted: the first size measured should not pay for the JIT.
        await load(`${base}${path}`, { headers, connections: 10, seconds: 1 });
        const result = await load(`${base}${path}`, { headers, connections: 10, seconds: 5 });
        // Answers that were not 2xx are a finding to print, not a reason to lose the figures.
        if (result.non2xx > 0 || result.errors > 0)
          log(`  ! the ${what} answered ${result.non2xx} non-2xx and ${result.errors} errors under load`);
        return result;
      };
      // A click on the table's "Amount" header: a sort the indexes do not give, timed alone.
      const sortedPath = `${listPath}&ordering=-course_price`;
      const timeAlone = async (path: string) => {
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await call('GET', path, admin);
          times.push(performance.now() - t0);
        }
        return [...times].sort((a, b) => a - b)[1] ?? Number.NaN;
      };
      const overviewCount = async () => {
        const overview = (await call('GET', overviewPath, admin)) as unknown as Array<{ count: number }>;
        return overview.reduce((sum, s) => sum + s.count, 0);
      };

      await fill(1, FILL);
      if ((await overviewCount()) !== FILL) throw new Error('the overview does not count every request');
      const smallList = await measure('request list', listPath, FILL);
      const smallOverview = await measure('overview', overviewPath, FILL);
      const smallSorted = await timeAlone(sortedPath);
      await fill(FILL + 1, LARGE);
      if ((await overviewCount()) !== LARGE) throw new Error('the overview does not count every request');
      const largeList = await measure('request list', listPath, LARGE);
      const largeOverview = await measure('overview', overviewPath, LARGE);
      log('  the list sorted by amount, one request at a time, 3 times ...');
      const largeSorted = await timeAlone(sortedPath);
      log('  /healthz on the same server, 10 clients, 5 s ...');
      const health = await load(`${base}/healthz`, { connections: 10, seconds: 5 });
      return [
        {
          label: `admin request list, the request tab's first page (${(FILL * IN_TAB).toLocaleString()} of ${FILL.toLocaleString()} requests)`,
          subject: loadFigures('campus request list', smallList),
          baseline: loadFigures('campus /healthz', health),
        },
        {
          label: `the same list over ${LARGE.toLocaleString()} requests`,
          subject: loadFigures(`list at ${LARGE.toLocaleString()}`, largeList),
          baseline: loadFigures(`list at ${FILL.toLocaleString()}`, smallList),
        },
        {
          label: `the requests overview (counts by state) over ${LARGE.toLocaleString()} requests`,
          subject: loadFigures(`overview at ${LARGE.toLocaleString()}`, largeOverview),
          baseline: loadFigures(`overview at ${FILL.toLocaleString()}`, smallOverview),
        },
        {
          label: `the list sorted by amount (ordering=-course_price), one request alone, median of 3`,
          subject: [{ name: `sorted at ${LARGE.toLocaleString()}`, value: largeSorted, unit: 'ms' }],
          baseline: [{ name: `sorted at ${FILL.toLocaleString()}`, value: smallSorted, unit: 'ms' }],
        },
      ];
    } finally {
      await client.end().catch(() => {});
      await app.close();
      await env.close();
    }
  },
};
