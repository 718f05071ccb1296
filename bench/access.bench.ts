import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { signDevToken } from '../src/http/auth.js';
import * as policies from '../src/modules/access/policy.repository.js';
import { redemptionBatchStats } from '../src/modules/access/redeem.js';
import { FixedClock } from '../src/shared/clock.js';
import { ENTERPRISE_A } from '../test/support/app.js';
import { type Benchmark, load, loadFigures } from './harness.js';
import { benchDatabase } from './postgres.js';

async function post(base: string, url: string, token: string, body: object) {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/**
 * Redemptions per second through one hot policy (100 concurrent clients, each redeem a new
 * learner) beside the same locks and writes in bare SQL (the floor); and can-redeem for 10
 * content keys over 3 policies beside /healthz on the same server.
 */
export const accessBenchmark: Benchmark = {
  name: 'access',
  description:
    'redeems/s on one hot policy (PostgreSQL, 100 clients) and can-redeem for 10 keys over 3 policies',
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
    try {
      const staff = await signDevToken(secret, { userId: 1, username: 'staff', isStaff: true }, clock.now());
      log('  setting up a customer, a catalog of 10 runs, a subsidy and 3 policies ...');
      await post(base, '/catalog/api/v1/organizations/', staff, { key: 'BenchX', name: 'Bench' });
      const course = await post(base, '/catalog/api/v1/courses/', staff, {
        title: 'Bench',
        number: 'B1',
        org: 'BenchX',
        type: '5eed0000-0000-4000-8000-000000000303',
      });
      const runs: string[] = [];
      for (let i = 0; i < 10; i++) {
        const run = await post(base, '/catalog/api/v1/course_runs/', staff, {
          course: course.key,
          start: '2026-05-20T00:00:00Z',
          end: '2026-12-15T00:00:00Z',
          enrollment_end: '2026-11-01T00:00:00Z',
          run_type: '5eed0000-0000-4000-8000-000000000203',
          prices: { verified: 1 },
        });
        runs.push(String(run.key));
      }
      await post(base, '/enterprise/api/v1/enterprise-customer/', staff, {
        uuid: ENTERPRISE_A,
        name: 'A',
        slug: 'a',
      });
      const catalog = await post(base, '/enterprise/api/v1/enterprise-catalogs/', staff, {
        enterprise_customer: ENTERPRISE_A,
        title: 'all',
        content_filter: { org: 'BenchX' },
      });
      const subsidy = await post(base, '/subsidy/api/v1/subsidies/', staff, {
        reference_id: 'bench',
        default_title: 'bench',
        default_enterprise_customer_uuid: ENTERPRISE_A,
        default_active_datetime: '2026-01-01T00:00:00Z',
        default_expiration_datetime: '2027-01-01T00:00:00Z',
        default_starting_balance: 1_000_000_000,
      });
      const hot = [];
      for (const type of [
        'PerLearnerEnrollmentCreditAccessPolicy',
        'PerLearnerSpendCreditAccessPolicy',
        'PerLearnerEnrollmentCreditAccessPolicy',
      ] as const) {
        hot.push(
          await policies.insert(env.db.kysely, {
            uuid: crypto.randomUUID(),
            policy_type: type,
            enterprise_customer_uuid: ENTERPRISE_A,
            display_name: type,
            active: true,
            catalog_uuid: String(catalog.uuid),
            subsidy_uuid: String(subsidy.uuid),
            access_method: 'direct',
            spend_limit: null,
            per_learner_enrollment_limit: null,
            per_learner_spend_limit: null,
            retired_at: null,
            late_redemption_allowed_until: null,
            assignment_configuration_uuid: null,
            learner_credit_request_config_uuid: null,
            created: clock.now(),
            modified: clock.now(),
          }),
        );
      }
      const policy = hot[0];
      if (!policy) throw new Error('no policy');

      const clients = 100;
      const seconds = 5;
      log(`  Campus redeem through one policy, ${clients} clients, ${seconds} s ...`);
      // Each request a new redemption: learner k / 10 takes the 10 runs in turn (as a learner going
      // through a catalog; a new learner is one request in ten), tokens signed before the
      // clock starts; autocannon drives the load, as for the other figures.
      const learners = 3_000;
      const tokens = await Promise.all(
        Array.from({ length: learners }, (_, i) =>
          signDevToken(
            secret,
            { userId: 2_000_000 + i, username: `b${i}`, roles: [`enterprise_learner:${ENTERPRISE_A}`] },
            clock.now(),
          ),
        ),
      );
      let k = 0;
      const redeemLoad = await load(`${base}/access/api/v1/policy-redemption/${policy.uuid}/redeem/`, {
        connections: clients,
        seconds,
        post: () => {
          const i = k++;
          return {
            headers: {
              authorization: `JWT ${tokens[Math.floor(i / runs.length) % learners]}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ content_key: runs[i % runs.length] }),
          };
        },
      });
      const stats = redemptionBatchStats(app.campus);
      log(
        `  group commit: ${stats.batches} batches, mean ${(stats.items / Math.max(1, stats.batches)).toFixed(1)} redemptions, largest ${stats.largest}, ${stats.failed} failed`,
      );
      const done = redeemLoad.ok;
      const failed = redeemLoad.non2xx + redeemLoad.errors;
      if (k > learners * runs.length)
        log(`  ! ${k} requests: more than ${learners * runs.length} fresh redemptions`);
      if (failed > 0) log(`  (${failed} redeems were refused or failed)`);
      const campus = done / seconds;

      log(
        `  bare SQL: lock policy, lock ledger, insert transaction + enrollment + attempt, ${clients} clients, ${seconds} s ...`,
      );
      const pool = new pg.Pool({ connectionString: env.url, max: 50 });
      const ledger = await env.db.kysely
        .selectFrom('subsidies')
        .select('ledger_uuid')
        .where('uuid', '=', String(subsidy.uuid))
        .executeTakeFirstOrThrow();
      let bare = 0;
      const bareEnd = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; Date.now() < bareEnd; i++) {
            const client = await pool.connect();
            try {
              await client.query('begin');
              await client.query('select uuid from subsidy_access_policies where uuid = $1 for update', [
                policy.uuid,
              ]);
              await client.query('select balance_cents from ledgers where uuid = $1 for update', [
                ledger.ledger_uuid,
              ]);
              const tx = await client.query<{ uuid: string }>(
                `insert into ledger_transactions (uuid, ledger_uuid, idempotency_key, fingerprint, kind, quantity, state,
                   lms_user_id, content_key, subsidy_access_policy_uuid, created, modified)
                 values (gen_random_uuid(), $1, $2, 'x', 'spend', -100, 'committed', $3, $4, $5, now(), now()) returning uuid`,
                [ledger.ledger_uuid, `bare-${c}-${i}`, 3_000_000 + c, runs[0], policy.uuid],
              );
              await client.query(
                'update ledgers set balance_cents = balance_cents - 100, committed_balance_cents = committed_balance_cents - 100 where uuid = $1',
                [ledger.ledger_uuid],
              );
              await client.query(
                `insert into enrollments (uuid, lms_user_id, enterprise_customer_uuid, subsidy_uuid, transaction_uuid,
                   course_run_key, course_key, mode, created, modified)
                 values (gen_random_uuid(), $1, $2, $3, $4, $5, 'x', 'verified', now(), now())`,
                [3_000_000 + c, ENTERPRISE_A, subsidy.uuid, tx.rows[0]?.uuid, runs[0]],
              );
              await client.query(
                `insert into redemption_attempts (uuid, policy_uuid, enterprise_customer_uuid, lms_user_id, content_key, outcome, created)
                 values (gen_random_uuid(), $1, $2, $3, $4, 'redeemed', now())`,
                [policy.uuid, ENTERPRISE_A, 3_000_000 + c, runs[0]],
              );
              await client.query('commit');
              bare++;
            } finally {
              client.release();
            }
          }
        }),
      );
      await pool.end();

      log('  can-redeem for 10 content keys over 3 policies, 50 clients, 5 s ...');
      const learner = await signDevToken(
        secret,
        { userId: 5, username: 'five', roles: [`enterprise_learner:${ENTERPRISE_A}`] },
        clock.now(),
      );
      const query = runs.map((r) => `content_key=${encodeURIComponent(r)}`).join('&');
      const can = await load(
        `${base}/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?${query}`,
        {
          headers: { authorization: `JWT ${learner}` },
        },
      );
      if (can.non2xx > 0) throw new Error(`can-redeem answered ${can.non2xx} non-2xx`);
      log('  /healthz on the same server, 50 clients, 5 s ...');
      const health = await load(`${base}/healthz`);
      return [
        {
          label: 'redemptions through one hot policy (PostgreSQL, 100 clients)',
          subject: [
            { name: 'Campus redeem', value: campus, unit: 'redeems/s' },
            { name: 'Campus redeem p50', value: redeemLoad.p50Ms, unit: 'ms' },
          ],
          baseline: [{ name: 'same locks + writes, bare SQL', value: bare / seconds, unit: 'redeems/s' }],
        },
        {
          label: 'can-redeem, 10 content keys over 3 policies',
          subject: loadFigures('campus can-redeem', can),
          baseline: loadFigures('campus /healthz', health),
        },
      ];
    } finally {
      await app.close();
      await env.close();
    }
  },
};
