/**
 * Database outage (issue 11, item 3). Campus runs on its own throwaway PostgreSQL cluster under a
 * light mixed load (reads, can-redeem, redemptions, /healthz); the cluster is stopped abruptly
 * (`pg_ctl stop -m immediate`: every connection drops, as in a crash) and started again on the
 * same port. While it is down every request must be answered, within a bound, with 503
 * `{detail, error_code: "database_unavailable"}` (never a 500, never a hang), `/healthz` must say
 * the database is unreachable; once it is back, the same process serves again: no broken
 * connection is left in its pool. A redemption refused with 503 is retried afterwards and the
 * ledgers verify.
 *
 * CI runs 2 outages; `CAMPUS_SOAK=1` runs 5, longer ones. `CAMPUS_OUTAGE_LOG=error` shows the
 * app's error log (what a 500 was).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPostgres } from '../../src/db/db.js';
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
const UP_MS = SOAK ? 3_000 : 1_000;
const DOWN_MS = SOAK ? 6_000 : 2_000;
/** No request may take longer than this, whatever the database does. */
const BOUND_MS = 15_000;

interface Sample {
  kind: 'healthz' | 'list' | 'can-redeem' | 'redeem';
  learner?: number;
  started: number;
  ended: number;
  status: number;
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
    db = openPostgres(cluster.url, POOL_SIZE);
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

  it(
    `answers 503 database_unavailable within ${BOUND_MS / 1000} s through ${OUTAGES} outage(s), then serves again without a restart`,
    async () => {
      const samples: Sample[] = [];
      let learnerSeq = 50_000;
      let stopped = false;
      const learnerToken = (id: number) =>
        t.token({
          userId: id,
          email: `outage${id}@example.com`,
          roles: [`enterprise_learner:${ENTERPRISE_A}`],
        });

      const one = async (kind: Sample['kind'], learner?: number): Promise<Sample> => {
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
        const sample: Sample = { kind, learner, started, ended: Date.now(), status: res.statusCode, body };
        samples.push(sample);
        return sample;
      };
      const kinds: Sample['kind'][] = ['healthz', 'list', 'can-redeem', 'redeem', 'redeem', 'list'];
      const clients = Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; !stopped; i++) {
          const kind = kinds[i % kinds.length] as Sample['kind'];
          await one(kind, kind === 'redeem' ? ++learnerSeq : undefined);
          await new Promise((r) => setTimeout(r, 20));
        }
      });

      const outages: Array<{ pausing: number; down: number; resuming: number; up: number }> = [];
      try {
        for (let n = 0; n < OUTAGES; n++) {
          await new Promise((r) => setTimeout(r, UP_MS));
          // A background job holding its lock on a connection of its own (the scheduler's
          // `exclusive`), idle while the job works: losing it must fail the job, not the process.
          let finishJob = () => {};
          let locked = () => {};
          const holding = new Promise<void>((r) => (locked = r));
          const job = db.exclusive('outage-probe', () => {
            locked();
            return new Promise<void>((r) => (finishJob = r));
          });
          job.catch(() => {}); // awaited below, after the outage began
          await holding;
          const pausing = Date.now();
          await cluster.pause();
          const down = Date.now();
          finishJob();
          await expect(job).rejects.toThrow(/not queryable|Connection terminated|terminating connection/);
          // Asked directly, too: /healthz says the database is unreachable, promptly.
          const health = await one('healthz');
          expect(health.status).toBe(503);
          expect(health.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
          expect(health.ended - health.started).toBeLessThan(5_000);
          await new Promise((r) => setTimeout(r, DOWN_MS));
          const resuming = Date.now();
          await cluster.resume();
          outages.push({ pausing, down, resuming, up: Date.now() });
          // The lock died with its session: the next run takes it.
          expect(await db.exclusive('outage-probe', async () => 'ran')).toEqual({ ran: true, value: 'ran' });
        }
        await new Promise((r) => setTimeout(r, UP_MS));
      } finally {
        stopped = true;
        await Promise.all(clients);
      }

      const show = (s: Sample) =>
        `${s.kind} ${s.status} after ${s.ended - s.started} ms: ${JSON.stringify(s.body)}`;
      // Never a hang, never a 500: 2xx, or 503 with the documented body.
      expect(samples.filter((s) => s.ended - s.started >= BOUND_MS).map(show)).toEqual([]);
      expect(samples.filter((s) => ![200, 201, 503].includes(s.status)).map(show)).toEqual([]);
      for (const s of samples.filter((x) => x.status === 503)) {
        if (s.kind === 'healthz')
          expect(s.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
        else {
          expect(s.body).toMatchObject({ error_code: 'database_unavailable' });
          expect(typeof s.body.detail).toBe('string');
        }
      }
      for (const o of outages) {
        // Wholly inside the outage: refused, every one of them, and there were some.
        const during = samples.filter((s) => s.started >= o.down && s.ended <= o.resuming);
        expect(during.length).toBeGreaterThan(CLIENTS);
        expect(during.filter((s) => s.status !== 503).map(show)).toEqual([]);
        expect(new Set(during.map((s) => s.kind))).toEqual(
          new Set(['healthz', 'list', 'can-redeem', 'redeem']),
        );
      }
      // After each return (and before the next outage), the same process serves again at once.
      for (const [i, o] of outages.entries()) {
        const next = outages[i + 1]?.pausing ?? Number.POSITIVE_INFINITY;
        const after = samples.filter((s) => s.started >= o.up && s.ended < next);
        expect(after.length).toBeGreaterThan(CLIENTS);
        expect(after.filter((s) => s.status >= 300).map(show)).toEqual([]);
      }

      // A redemption refused with 503 is safe to retry: one enrollment per learner, ledgers verify.
      const refused = samples.filter((s) => s.kind === 'redeem' && s.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      const retries: Sample[] = [];
      const queue = [...refused];
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let s = queue.shift(); s; s = queue.shift()) retries.push(await one('redeem', s.learner));
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

      const worst = Math.max(...samples.map((s) => s.ended - s.started));
      console.info(
        `database outage: ${samples.length} requests, ${samples.filter((s) => s.status === 503).length} answered 503, ` +
          `slowest ${worst} ms, ${refused.length} refused redemptions retried`,
      );
    },
    SOAK ? 10 * 60_000 : 90_000,
  );
});
