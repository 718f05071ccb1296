/**
 * Database outage (issue 11, item 3; issue 15). Campus runs on its own throwaway PostgreSQL
 * cluster under a light mixed load (reads, can-redeem, redemptions, /healthz), with
 * DATABASE_TIMEOUT_MS = 2 s, through two kinds of outage:
 *
 * - stopped: `pg_ctl stop -m immediate` (every connection drops, as in a crash), then started
 *   again on the same port;
 * - frozen: SIGSTOP to the postmaster and every backend (connections stay open, nothing answers,
 *   as with a stalled VM or disk), held for three times the timeout, then SIGCONT.
 *
 * While the database is out, every request ends within the timeout plus a second of slack with
 * 503 `{detail, error_code: "database_unavailable"}` and Retry-After (never a 500, never a hang),
 * and `/healthz` says the database is unreachable; once it is back, the same process serves again
 * by itself: no broken or busy connection is left in its pool. A redemption refused with 503 is
 * retried afterwards, each learner is enrolled once, and the ledgers verify.
 *
 * CI runs 2 stops and 1 freeze; `CAMPUS_SOAK=1` runs 5 stops, longer ones, and 3 freezes.
 * `CAMPUS_OUTAGE_LOG=error` shows the app's error log (what a 500 was).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPostgres } from '../../src/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { verifyLedgers } from '../../src/modules/ledger/index.js';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../support/app.js';
import { describePg } from '../support/postgres.js';
import {
  findPostgresBinDir,
  type PausableCluster,
  startPausableCluster,
} from '../support/postgres-cluster.js';
import { subsidyWorld } from '../support/worlds.js';

const SOAK = process.env.CAMPUS_SOAK === '1';
const OUTAGES = SOAK ? 5 : 2;
const CLIENTS = 6;
/** The pool is smaller than the number of clients, so that some requests wait for a connection. */
const POOL_SIZE = 3;
const FREEZES = SOAK ? 3 : 1;
const UP_MS = SOAK ? 3_000 : 1_000;
const DOWN_MS = SOAK ? 6_000 : 2_000;
/** DATABASE_TIMEOUT_MS for this app: small, so that a freeze longer than it stays cheap in CI. */
const TIMEOUT_MS = 2_000;
/** No request may take longer than this, whatever the database does (event loop and HTTP slack). */
const BOUND_MS = TIMEOUT_MS + 1_000;
/** A freeze outlasts the timeout, so that requests start and end inside it (about two per client). */
const FROZEN_MS = 3 * TIMEOUT_MS;
/** After the thaw, requests that start this much later must all succeed. */
const RECOVERY_MS = 1_000;

interface Sample {
  kind: 'healthz' | 'list' | 'can-redeem' | 'redeem';
  learner?: number;
  started: number;
  ended: number;
  status: number;
  retryAfter?: string;
  body: Record<string, unknown>;
}

const binDir = findPostgresBinDir();

// Its own cluster, since it stops it: this needs the server binaries, not only a server (CI has both).
const describeOutage =
  binDir || process.env.CAMPUS_REQUIRE_PG === '1'
    ? describePg
    : (name: string, fn: () => void) =>
        describe.skip(`${name} [skipped: PostgreSQL server binaries (initdb, pg_ctl) not found]`, fn);

describeOutage('database outage', () => {
  let cluster: PausableCluster;
  let db: Db;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let policy: string;
  let runKey: string;

  beforeAll(async () => {
    cluster = await startPausableCluster(binDir ? { binDir } : {});
    db = openPostgres(cluster.url, POOL_SIZE, { timeoutMs: TIMEOUT_MS });
    await migrateToLatest(db);
    t = await testApp({ db, config: { logLevel: (process.env.CAMPUS_OUTAGE_LOG as 'error') ?? 'silent' } });
    as = await personas(t);
    const w = await subsidyWorld(t, as.staff);
    runKey = w.run.key;
    // Enough for every redemption the load makes ($100 each).
    const deposit = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 100_000_000,
        sales_contract_reference_id: 'outage',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
      },
      as: as.operator,
    });
    expect(deposit.statusCode, deposit.body).toBe(201);
    const catalogs = await t.request({
      method: 'GET',
      url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as: as.staff,
    });
    const catalog = (catalogs.json().results as Array<{ uuid: string; enterprise_customer: string }>).find(
      (c) => c.enterprise_customer === ENTERPRISE_A,
    )?.uuid;
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: catalog,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'direct',
        display_name: 'Outage',
        active: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    policy = created.json().uuid;
  });
  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
  });

  let learnerSeq = 50_000;
  const learnerToken = (id: number) =>
    t.token({ userId: id, email: `outage${id}@example.com`, roles: [`enterprise_learner:${ENTERPRISE_A}`] });

  /** One request of the load, timed. */
  const one = async (samples: Sample[], kind: Sample['kind'], learner?: number): Promise<Sample> => {
    const started = Date.now();
    const res =
      kind === 'healthz'
        ? await t.request({ method: 'GET', url: '/healthz' })
        : kind === 'list'
          ? await t.request({
              method: 'GET',
              url: `/subsidy/api/v1/subsidies/?enterprise_customer_uuid=${ENTERPRISE_A}`,
              as: as.operator,
            })
          : kind === 'can-redeem'
            ? await t.request({
                method: 'GET',
                url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?content_key=${encodeURIComponent(runKey)}`,
                as: as.learnerA,
              })
            : await t.request({
                method: 'POST',
                url: `/access/api/v1/policy-redemption/${policy}/redeem/`,
                payload: { content_key: runKey },
                as: await learnerToken(learner ?? 0),
              });
    let body: Record<string, unknown> = {};
    try {
      body = res.json();
    } catch {
      body = { raw: res.body };
    }
    const retryAfter = res.headers['retry-after'];
    const sample: Sample = {
      kind,
      learner,
      started,
      ended: Date.now(),
      status: res.statusCode,
      body,
      ...(retryAfter === undefined ? {} : { retryAfter: String(retryAfter) }),
    };
    samples.push(sample);
    return sample;
  };

  /** CLIENTS clients, each sending the mix one request after the other until stopped. */
  const startLoad = (samples: Sample[]) => {
    let stopped = false;
    const kinds: Sample['kind'][] = ['healthz', 'list', 'can-redeem', 'redeem', 'redeem', 'list'];
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; !stopped; i++) {
        const kind = kinds[i % kinds.length] as Sample['kind'];
        await one(samples, kind, kind === 'redeem' ? ++learnerSeq : undefined);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    return async () => {
      stopped = true;
      await Promise.all(clients);
    };
  };

  const show = (s: Sample) =>
    `${s.kind} ${s.status} after ${s.ended - s.started} ms: ${JSON.stringify(s.body)}`;

  /** Never a hang, never a 500: 2xx, or 503 with the documented body and Retry-After. */
  const expectBoundedAnswers = (samples: Sample[]) => {
    expect(samples.filter((s) => s.ended - s.started >= BOUND_MS).map(show)).toEqual([]);
    expect(samples.filter((s) => ![200, 201, 503].includes(s.status)).map(show)).toEqual([]);
    for (const s of samples.filter((x) => x.status === 503)) {
      expect(s.retryAfter, show(s)).toMatch(/^\d+$/);
      if (s.kind === 'healthz')
        expect(s.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
      else {
        expect(s.body).toMatchObject({ error_code: 'database_unavailable' });
        expect(typeof s.body.detail).toBe('string');
      }
    }
  };

  /** Requests wholly inside an outage: refused, every one of them, of every kind, and there were some. */
  const expectRefusedDuring = (samples: Sample[], from: number, to: number) => {
    const during = samples.filter((s) => s.started >= from && s.ended <= to);
    expect(during.length).toBeGreaterThan(CLIENTS);
    expect(during.filter((s) => s.status !== 503).map(show)).toEqual([]);
    expect(new Set(during.map((s) => s.kind))).toEqual(new Set(['healthz', 'list', 'can-redeem', 'redeem']));
  };

  /** Requests that started after `from` and ended before `to` all succeeded, and there were some. */
  const expectServedBetween = (samples: Sample[], from: number, to: number) => {
    const after = samples.filter((s) => s.started >= from && s.ended < to);
    expect(after.length).toBeGreaterThan(CLIENTS);
    expect(after.filter((s) => s.status >= 300).map(show)).toEqual([]);
  };

  /** A redemption refused with 503 is safe to retry: one enrollment per learner, ledgers verify. */
  const retryRefusedAndVerify = async (samples: Sample[]) => {
    const refused = samples.filter((s) => s.kind === 'redeem' && s.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    const retries: Sample[] = [];
    const queue = [...refused];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let s = queue.shift(); s; s = queue.shift())
          retries.push(await one(samples, 'redeem', s.learner));
      }),
    );
    expect(retries.filter((r) => r.status !== 200 && r.status !== 201).map(show)).toEqual([]);
    const redeemers = [...new Set(samples.filter((s) => s.kind === 'redeem').map((s) => s.learner ?? 0))];
    const enrollments = await db.kysely
      .selectFrom('enrollments')
      .select(['lms_user_id'])
      .where('lms_user_id', 'in', redeemers)
      .execute();
    const perLearner = new Map<number, number>();
    for (const e of enrollments) perLearner.set(e.lms_user_id, (perLearner.get(e.lms_user_id) ?? 0) + 1);
    const answered = new Set(
      samples.filter((s) => s.kind === 'redeem' && s.status < 300).map((s) => s.learner ?? 0),
    );
    expect([...perLearner.values()].every((n) => n === 1)).toBe(true);
    expect([...perLearner.keys()].sort()).toEqual([...answered].sort());
    expect((await verifyLedgers(db.kysely)).filter((c) => !c.ok)).toEqual([]);
    return refused.length;
  };

  /** A background job holding its lock on a connection of its own (the scheduler's `exclusive`). */
  const holdJobLock = async () => {
    let finishJob = () => {};
    let locked = () => {};
    const holding = new Promise<void>((r) => (locked = r));
    const job = db.exclusive('outage-probe', () => {
      locked();
      return new Promise<void>((r) => (finishJob = r));
    });
    job.catch(() => {}); // awaited by the caller, after the outage began
    await holding;
    return { job, finish: () => finishJob() };
  };

  const summary = (name: string, samples: Sample[], refused: number) => {
    const worst = Math.max(...samples.map((s) => s.ended - s.started));
    const slowest503 = Math.max(
      0,
      ...samples.filter((s) => s.status === 503).map((s) => s.ended - s.started),
    );
    console.info(
      `${name}: ${samples.length} requests, ${samples.filter((s) => s.status === 503).length} answered 503 ` +
        `(slowest ${slowest503} ms), slowest of all ${worst} ms, ${refused} refused redemptions retried`,
    );
  };

  it(
    `answers 503 database_unavailable within ${BOUND_MS / 1000} s through ${OUTAGES} stop(s), then serves again without a restart`,
    async () => {
      const samples: Sample[] = [];
      const stopLoad = startLoad(samples);
      const outages: Array<{ pausing: number; down: number; resuming: number; up: number }> = [];
      try {
        for (let n = 0; n < OUTAGES; n++) {
          await new Promise((r) => setTimeout(r, UP_MS));
          // Idle while the job works: losing its session must fail the job, not the process.
          const job = await holdJobLock();
          const pausing = Date.now();
          await cluster.pause();
          const down = Date.now();
          job.finish();
          await expect(job.job).rejects.toThrow(/not queryable|Connection terminated|terminating connection/);
          // Asked directly, too: /healthz says the database is unreachable, promptly.
          const health = await one(samples, 'healthz');
          expect(health.status).toBe(503);
          expect(health.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
          expect(health.ended - health.started).toBeLessThan(BOUND_MS);
          await new Promise((r) => setTimeout(r, DOWN_MS));
          const resuming = Date.now();
          await cluster.resume();
          outages.push({ pausing, down, resuming, up: Date.now() });
          // The lock died with its session: the next run takes it.
          expect(await db.exclusive('outage-probe', async () => 'ran')).toEqual({ ran: true, value: 'ran' });
        }
        await new Promise((r) => setTimeout(r, UP_MS));
      } finally {
        await stopLoad();
      }

      expectBoundedAnswers(samples);
      for (const o of outages) expectRefusedDuring(samples, o.down, o.resuming);
      // After each return (and before the next outage), the same process serves again at once.
      for (const [i, o] of outages.entries())
        expectServedBetween(samples, o.up, outages[i + 1]?.pausing ?? Number.POSITIVE_INFINITY);
      summary('database stopped', samples, await retryRefusedAndVerify(samples));
    },
    SOAK ? 10 * 60_000 : 90_000,
  );

  it(
    `answers 503 within ${BOUND_MS / 1000} s while PostgreSQL is frozen (SIGSTOP) ${FREEZES} time(s), and recovers by itself after SIGCONT`,
    async () => {
      const samples: Sample[] = [];
      const stopLoad = startLoad(samples);
      const freezes: Array<{ frozen: number; thawing: number }> = [];
      try {
        for (let n = 0; n < FREEZES; n++) {
          await new Promise((r) => setTimeout(r, UP_MS));
          // A job holding its lock when the server freezes: its unlock gets no answer, and the job
          // ends within the timeout instead of hanging on its session.
          const job = await holdJobLock();
          await cluster.freeze();
          const frozen = Date.now();
          job.finish();
          await expect(job.job).rejects.toMatchObject({ code: 'CAMPUS_DATABASE_TIMEOUT' });
          expect(Date.now() - frozen).toBeLessThan(BOUND_MS);
          // One request of each kind, asked directly: each takes the whole timeout while frozen, so
          // the load alone may not start every kind inside the freeze.
          const probes = await Promise.all(
            (['healthz', 'list', 'can-redeem', 'redeem'] as const).map((kind) =>
              one(samples, kind, kind === 'redeem' ? ++learnerSeq : undefined),
            ),
          );
          expect(probes.map((p) => [p.kind, p.status])).toEqual([
            ['healthz', 503],
            ['list', 503],
            ['can-redeem', 503],
            ['redeem', 503],
          ]);
          await new Promise((r) => setTimeout(r, frozen + FROZEN_MS - Date.now()));
          const thawing = Date.now();
          await cluster.thaw();
          freezes.push({ frozen, thawing });
        }
        await new Promise((r) => setTimeout(r, RECOVERY_MS + UP_MS));
      } finally {
        await stopLoad();
      }

      expectBoundedAnswers(samples);
      for (const f of freezes) expectRefusedDuring(samples, f.frozen, f.thawing);
      // Nobody restarted anything: a moment after each thaw the same process serves again.
      for (const [i, f] of freezes.entries())
        expectServedBetween(
          samples,
          f.thawing + RECOVERY_MS,
          freezes[i + 1]?.frozen ?? Number.POSITIVE_INFINITY,
        );
      // The job lock was freed with the abandoned session.
      expect(await db.exclusive('outage-probe', async () => 'ran')).toEqual({ ran: true, value: 'ran' });
      summary('database frozen', samples, await retryRefusedAndVerify(samples));
    },
    SOAK ? 5 * 60_000 : 60_000,
  );
});
