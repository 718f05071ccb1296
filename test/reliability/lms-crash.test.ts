/**
 * Crash between reserving a redemption and the LMS's answer (issue 19): Campus runs as a child
 * process on real PostgreSQL with a stand-in LMS that answers slowly; while redemptions wait on
 * it, the process is killed with SIGKILL and started again. Some spends are left pending — the
 * LMS may or may not have enrolled their learners. Reconciliation asks the LMS again (it enrolls
 * once per transaction id) and settles each: afterwards nothing is pending, every committed spend
 * is exactly one LMS enrollment and one Campus enrollment, no LMS enrollment is unpaid, and the
 * ledger verifies.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { findJob, runJob } from '../../src/jobs.js';
import { verifyLedgers } from '../../src/modules/ledger/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { createContext } from '../../src/wiring.js';
import { type CampusProcess, type CampusProcessOptions, startCampus } from '../support/campus-process.js';
import { liveTokens, liveWorld } from '../support/live-world.js';
import { createPgDatabase, describePg } from '../support/postgres.js';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../support/stand-in-lms.js';

const SECRET = 'lms-crash-test-secret-0123456789abcdef';
const KILLS = 3;
const PER_ROUND = 6;
const STALE_MINUTES = 15;

describePg('kill -9 between reserving a redemption and the LMS answer', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let sqlPool: pg.Pool;
  let lms: StandInLms;
  let server: CampusProcess | null = null;

  beforeAll(async () => {
    database = await createPgDatabase({ poolSize: 4 });
    sqlPool = new pg.Pool({ connectionString: database.url, max: 2 });
    lms = await startStandInLms();
  });
  afterAll(async () => {
    await server?.kill();
    await lms?.close();
    await sqlPool?.end();
    await database?.drop();
  });

  const rows = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await sqlPool.query(text, params)).rows as T[];

  it(`settles every redemption cut off by ${KILLS} kills, and the LMS and the ledger agree`, async () => {
    const lmsConfig = lmsConfigOf(lms, 5_000);
    const processOptions: CampusProcessOptions = {
      databaseUrl: database.url,
      jwtSecret: SECRET,
      env: {
        DATABASE_POOL_SIZE: '10',
        SCHEDULER: 'off',
        STALE_TRANSACTION_MINUTES: String(STALE_MINUTES),
        LMS_URL: lms.url,
        BACKEND_SERVICE_EDX_OAUTH2_KEY: lms.clientId,
        BACKEND_SERVICE_EDX_OAUTH2_SECRET: lms.clientSecret,
        LMS_TIMEOUT_MS: '5000',
      },
    };
    server = await startCampus(processOptions);
    const first = server;
    const world = await liveWorld((call) => first.request(call), SECRET, { runs: 1 });
    const token = liveTokens(SECRET);
    // Each answer from the LMS a second away: the kill lands while redemptions wait on it.
    lms.delayMs = 1_000;
    let learner = 50_000;
    for (let round = 0; round < KILLS; round++) {
      const target = server;
      const asked = lms.callsTo('enroll').length;
      const calls = Array.from({ length: PER_ROUND }, async () => {
        const as = await token({ userId: learner++, roles: [`enterprise_learner:${world.enterprise}`] });
        return target
          .request({
            method: 'POST',
            path: `/access/api/v1/policy-redemption/${world.direct.uuid}/redeem/`,
            body: { content_key: world.runKeys[0] },
            as,
          })
          .catch(() => null);
      });
      // Killed once the LMS has been asked for some of them (their spends reserved and committed).
      await waitFor(() => lms.callsTo('enroll').length >= asked + 2);
      await target.kill();
      await Promise.all(calls);
      server = await startCampus(processOptions);
    }
    lms.delayMs = 0;

    const pending = await rows<{ uuid: string }>(
      "select uuid from ledger_transactions where state = 'pending'",
    );
    expect(pending.length).toBeGreaterThan(0);

    // Reconciliation, as the scheduler runs it once the spends are stale.
    const ctx: AppContext = createContext({
      db: database.db,
      config: testConfig({ staleTransactionMinutes: STALE_MINUTES, lms: lmsConfig }),
      clock: systemClock,
      ids: randomIds,
      log: pino({ level: 'silent' }),
    });
    const job = findJob('fail-stale-transactions');
    if (!job) throw new Error('no fail-stale-transactions job');
    const swept = await runJob(ctx, job, { asOf: new Date(Date.now() + (STALE_MINUTES + 1) * 60_000) });
    expect(swept).toMatchObject({
      ran: true,
      result: { reconciled: { checked: pending.length, pending: 0 } },
    });

    const spends = await rows<{ uuid: string; state: string; fulfillment_identifier: string | null }>(
      "select uuid, state, fulfillment_identifier from ledger_transactions where kind = 'spend'",
    );
    expect(spends.filter((s) => s.state === 'pending' || s.state === 'created')).toEqual([]);
    const committed = spends.filter((s) => s.state === 'committed');
    // Every committed spend is the LMS's enrollment for that transaction, and every LMS enrollment
    // is paid by a committed spend: none charged twice, none enrolled for free.
    for (const s of committed)
      expect(lms.enrollments.get(s.uuid)?.fulfillmentUuid).toBe(s.fulfillment_identifier);
    expect(new Set(lms.enrollments.keys())).toEqual(new Set(committed.map((s) => s.uuid)));
    const enrollments = await rows<{ transaction_uuid: string; lms_fulfillment_uuid: string }>(
      'select transaction_uuid, lms_fulfillment_uuid from enrollments',
    );
    expect(enrollments.map((e) => [e.transaction_uuid, e.lms_fulfillment_uuid]).sort()).toEqual(
      committed.map((s) => [s.uuid, s.fulfillment_identifier]).sort(),
    );
    expect((await verifyLedgers(database.db.kysely)).filter((c) => !c.ok)).toEqual([]);
  }, 120_000);
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error('waited in vain');
}
