/**
 * Crash recovery (issue 11, item 2). Campus runs as a child process on real PostgreSQL while
 * several clients drive a mixed money load at it; at seeded random moments the process is killed
 * with SIGKILL and started again. Afterwards every request that got no answer is sent again,
 * unchanged (same idempotency key, same natural key), and sent once more; then the database must
 * hold exactly one effect per operation and every cross-table invariant must hold:
 *
 * - `campus ledger verify` is clean;
 * - every committed spend has exactly one enrollment, every enrollment a committed spend;
 * - no assignment is accepted without a committed transaction, no assigned spend lacks its assignment;
 * - the outbox holds exactly one message per committed change that sends mail (here: one per
 *   allocation's `notified` action), and none for a change that did not commit;
 * - the stale-transaction job fails what is left unfinished and releases its reservation.
 *
 * CI runs 3 kills in well under two minutes; `CAMPUS_SOAK=1` (npm run test:soak) runs 10 with
 * longer load windows. `CAMPUS_CRASH_SEED=<n>` replays a run's choices of operations and moments.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { findJob, runJob } from '../../src/jobs.js';
import { reserveSpend, transition, verifyLedgers } from '../../src/modules/ledger/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import {
  type CampusProcess,
  type CampusProcessOptions,
  runCampusCli,
  startCampus,
} from '../support/campus-process.js';
import { type LiveWorld, liveTokens, liveWorld } from '../support/live-world.js';
import { createPgDatabase, describePg } from '../support/postgres.js';
import { seededRandom, seedFrom } from '../support/seeded-random.js';
import { MixedLoad, type Op, resultId } from './mixed-load.js';

const SOAK = process.env.CAMPUS_SOAK === '1';
const KILLS = SOAK ? 10 : 3;
const CLIENTS = SOAK ? 8 : 5;
/** How long the load runs before each kill, in ms (chosen by the seeded generator). */
const WINDOW: [number, number] = SOAK ? [1_000, 5_000] : [300, 1_500];
const SEED = seedFrom('CAMPUS_CRASH_SEED', 20_261_123);
const SECRET = 'crash-recovery-test-secret-0123456789';
const STALE_MINUTES = 15;
const PLANTED_CENTS = 12_345;

describePg('crash recovery under a mixed money load', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let sqlPool: pg.Pool;
  let server: CampusProcess | null = null;

  beforeAll(async () => {
    database = await createPgDatabase({ poolSize: 4 });
    sqlPool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await server?.kill();
    await sqlPool?.end();
    await database?.drop();
  });

  const rows = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await sqlPool.query(text, params)).rows as T[];

  it(
    `survives ${KILLS} kill -9s with no lost or duplicated money, enrollment, assignment or email (seed ${SEED})`,
    async () => {
      const started = Date.now();
      const rng = seededRandom(SEED);
      // A generator of its own for the kill moments, so that they do not depend on how many
      // operations the clients happened to draw before.
      const killRng = seededRandom(SEED ^ 0x5eed);
      const processOptions: CampusProcessOptions = {
        databaseUrl: database.url,
        jwtSecret: SECRET,
        // The real scheduler runs (and is killed) too; the stale window is the production default.
        env: {
          DATABASE_POOL_SIZE: '10',
          SCHEDULER: 'on',
          STALE_TRANSACTION_MINUTES: String(STALE_MINUTES),
        },
      };
      server = await startCampus(processOptions);
      const first = server;
      const world = await liveWorld((call) => first.request(call), SECRET, { runs: 4 });
      const ledger = (
        await rows<{ ledger_uuid: string }>('select ledger_uuid from subsidies where uuid = $1', [
          world.subsidy.uuid,
        ])
      )[0]?.ledger_uuid as string;
      const planted = await plantAbandonedSpend(database.db, ledger, world);

      // --- the load, killed KILLS times ---------------------------------------------------------
      const load = new MixedLoad({ world, rng, token: liveTokens(SECRET) });
      const timeline: string[] = [];
      for (let cycle = 1; cycle <= KILLS; cycle++) {
        if (!server) server = await startCampus(processOptions);
        const target = server;
        let stopped = false;
        const clients = Array.from({ length: CLIENTS }, async () => {
          while (!stopped) {
            const op = await load.next();
            await load.send(op, target, 'load', cycle);
          }
        });
        const windowMs = killRng.int(WINDOW[0], WINDOW[1]);
        await new Promise((r) => setTimeout(r, windowMs));
        stopped = true;
        await target.kill();
        server = null;
        await Promise.all(clients);
        const lost = load.ops.filter(
          (op) => op.attempts.at(-1)?.cycle === cycle && !op.attempts.at(-1)?.answer,
        );
        timeline.push(`cycle ${cycle}: killed after ${windowMs} ms, ${lost.length} request(s) unanswered`);
      }

      // --- retry everything that got no answer, then send it once more --------------------------
      server = await startCampus(processOptions);
      const live = server;
      const unanswered = load.unanswered();
      await inParallel(unanswered, CLIENTS, (op) => load.send(op, live, 'retry', KILLS + 1));
      await inParallel(unanswered, CLIENTS, (op) => load.send(op, live, 'repeat', KILLS + 1));
      await live.stop();
      server = null;

      // A lost answer hides one of two outcomes: the change committed (the retry finds it) or not.
      const foundOnRetry = unanswered.filter((op) => {
        const answer = op.attempts.find((a) => a.phase === 'retry')?.answer;
        const body = answer?.body as { no_change?: unknown[] } | undefined;
        return answer?.status === 200 || (body?.no_change?.length ?? 0) > 0;
      }).length;
      console.info(
        `crash recovery (seed ${SEED}): ${timeline.join('; ')}; ${load.ops.length} operations ` +
          `${JSON.stringify(summarize(load.ops))}; ${unanswered.length} retried: ${foundOnRetry} had committed ` +
          `before the kill, ${unanswered.length - foundOnRetry} had not`,
      );
      expect(load.problems, 'unexpected answers').toEqual([]);
      // The kills must have landed under load, or this proves nothing.
      expect(unanswered.length).toBeGreaterThan(0);
      for (const op of unanswered) {
        const retried = op.attempts.filter((a) => a.phase !== 'load');
        expect(
          retried.every((a) => a.answer),
          `op ${op.id} answered on retry`,
        ).toBe(true);
      }

      // --- one effect per operation ------------------------------------------------------------
      await checkEachOperation(load.ops, world, rows, (op) => load.answers(op));
      await checkMoneyTotals(load.ops, world, ledger, rows);

      // --- invariants across tables ------------------------------------------------------------
      await checkInvariants(world, rows);

      // --- the stale-transaction job fails what was left unfinished ----------------------------
      const unfinished = await rows<{ uuid: string }>(
        "select uuid from ledger_transactions where state in ('created', 'pending') order by uuid",
      );
      // Every spend is one database transaction: a kill leaves nothing half-done but the planted row.
      expect(unfinished.map((r) => r.uuid)).toEqual([planted]);
      const before = await ledgerRow(rows, ledger);
      expect(before.balance_cents).toBe(before.committed_balance_cents - PLANTED_CENTS);
      const ctx: AppContext = {
        db: database.db,
        config: testConfig({ staleTransactionMinutes: STALE_MINUTES }),
        clock: systemClock,
        ids: randomIds,
        log: pino({ level: 'silent' }),
      };
      const job = findJob('fail-stale-transactions');
      if (!job) throw new Error('no fail-stale-transactions job');
      const swept = await runJob(ctx, job, { asOf: new Date(Date.now() + (STALE_MINUTES + 1) * 60_000) });
      expect(swept).toEqual({ ran: true, result: expect.objectContaining({ failed: unfinished.length }) });
      expect(
        await rows("select uuid from ledger_transactions where state in ('created', 'pending')"),
      ).toEqual([]);
      const after = await ledgerRow(rows, ledger);
      expect(after.balance_cents).toBe(after.committed_balance_cents);
      expect(after.balance_cents).toBe(before.balance_cents + PLANTED_CENTS);

      // --- campus ledger verify (the command, and the function it runs) ------------------------
      const verify = await runCampusCli(['ledger', 'verify'], processOptions);
      expect(verify.code, `campus ledger verify:\n${verify.stdout}\n${verify.stderr}`).toBe(0);
      expect(verify.stdout).toMatch(/0 mismatch/);
      expect((await verifyLedgers(database.db.kysely)).filter((c) => !c.ok)).toEqual([]);
      console.info(`crash recovery finished in ${Math.round((Date.now() - started) / 1000)} s`);
    },
    SOAK ? 30 * 60_000 : 120_000,
  );
});

type Rows = <T>(text: string, params?: unknown[]) => Promise<T[]>;

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

function summarize(ops: Op[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of ops) counts[op.kind] = (counts[op.kind] ?? 0) + 1;
  return counts;
}

async function ledgerRow(rows: Rows, ledger: string) {
  const [row] = await rows<{
    balance_cents: number;
    committed_balance_cents: number;
    total_deposits_cents: number;
  }>(
    'select balance_cents::float8 as balance_cents, committed_balance_cents::float8 as committed_balance_cents, total_deposits_cents::float8 as total_deposits_cents from ledgers where uuid = $1',
    [ledger],
  );
  if (!row) throw new Error(`no ledger ${ledger}`);
  return row;
}

/**
 * A spend reserved and moved to pending but never committed, as a process that died between the
 * steps of a multi-statement redemption would leave it. Campus redeems in one database transaction,
 * so its own crashes cannot leave one; this row gives the sweeper something to prove itself on.
 */
async function plantAbandonedSpend(
  db: Awaited<ReturnType<typeof createPgDatabase>>['db'],
  ledger: string,
  world: LiveWorld,
): Promise<string> {
  const deps = { clock: systemClock, ids: randomIds };
  return db.transaction(async (trx) => {
    const { transaction } = await reserveSpend(trx, deps, {
      ledgerUuid: ledger,
      amount: PLANTED_CENTS,
      idempotencyKey: 'crash-test-abandoned-spend',
      lmsUserId: 999_999,
      contentKey: world.runKeys[0] as string,
      subsidyAccessPolicyUuid: null,
    });
    await transition(trx, deps, transaction.uuid, 'pending');
    return transaction.uuid;
  });
}

/** For each operation: exactly one effect in the database, and every answer names that effect. */
async function checkEachOperation(
  ops: Op[],
  world: LiveWorld,
  rows: Rows,
  answers: (op: Op) => Array<{ status: number; body: unknown }>,
): Promise<void> {
  const spends = await rows<{
    uuid: string;
    lms_user_id: number;
    content_key: string;
    state: string;
    idempotency_key: string;
    subsidy_access_policy_uuid: string | null;
  }>(
    "select uuid, lms_user_id::float8 as lms_user_id, content_key, state, idempotency_key, subsidy_access_policy_uuid from ledger_transactions where kind = 'spend' and lms_user_id is not null",
  );
  const spendsOf = new Map<string, typeof spends>();
  for (const s of spends) {
    const k = `${s.lms_user_id}|${s.content_key}`;
    spendsOf.set(k, [...(spendsOf.get(k) ?? []), s]);
  }
  const byKey = new Map(
    (
      await rows<{ idempotency_key: string; uuid: string; kind: string; quantity: number }>(
        'select idempotency_key, uuid, kind, quantity::float8 as quantity from ledger_transactions',
      )
    ).map((r) => [r.idempotency_key, r]),
  );
  const reversals = await rows<{ transaction_uuid: string; uuid: string; idempotency_key: string }>(
    'select transaction_uuid, uuid, idempotency_key from ledger_reversals',
  );
  const reversalsOf = new Map<string, typeof reversals>();
  for (const r of reversals)
    reversalsOf.set(r.transaction_uuid, [...(reversalsOf.get(r.transaction_uuid) ?? []), r]);
  const assignments = await rows<{
    uuid: string;
    learner_email: string;
    content_key: string;
    state: string;
    transaction_uuid: string | null;
  }>(
    'select uuid, learner_email, content_key, state, transaction_uuid from learner_content_assignments where assignment_configuration_uuid = $1',
    [world.assigned.configuration],
  );
  const deposits = await rows<{ transaction_uuid: string; uuid: string }>(
    'select transaction_uuid, uuid from ledger_deposits',
  );
  const depositsOf = new Map<string, string[]>();
  for (const d of deposits)
    depositsOf.set(d.transaction_uuid, [...(depositsOf.get(d.transaction_uuid) ?? []), d.uuid]);

  const problems: string[] = [];
  const sameAnswers = (op: Op, id: string | undefined) => {
    const ids = new Set(answers(op).map((a) => resultId(op, { status: a.status, body: a.body })));
    if (ids.size !== 1 || !ids.has(id ?? null)) {
      problems.push(`op ${op.id} ${op.kind}: answers name ${[...ids].join(', ')}, the database holds ${id}`);
    }
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'redeem':
      case 'admin-redeem':
      case 'assigned-redeem': {
        const held = spendsOf.get(`${op.learner?.lmsUserId}|${op.contentKey}`) ?? [];
        if (held.length !== 1 || held[0]?.state !== 'committed') {
          problems.push(
            `op ${op.id} ${op.kind}: ${held.length} spend(s) ${held.map((h) => h.state).join(',')}`,
          );
          break;
        }
        const policy = op.kind === 'assigned-redeem' ? world.assigned.uuid : world.direct.uuid;
        if (held[0].subsidy_access_policy_uuid !== policy)
          problems.push(`op ${op.id}: spend through another policy`);
        if (op.idempotencyKey && held[0].idempotency_key !== op.idempotencyKey) {
          problems.push(`op ${op.id}: spend key ${held[0].idempotency_key}, sent ${op.idempotencyKey}`);
        }
        sameAnswers(op, held[0].uuid);
        break;
      }
      case 'allocate': {
        const mine = assignments.filter(
          (a) => a.learner_email === op.learner?.email && a.content_key === op.contentKey,
        );
        if (mine.length !== 1) problems.push(`op ${op.id} allocate: ${mine.length} assignment(s)`);
        else sameAnswers(op, mine[0]?.uuid);
        break;
      }
      case 'reverse':
      case 'unenroll': {
        const found = reversalsOf.get(op.transaction ?? '') ?? [];
        if (found.length !== 1) problems.push(`op ${op.id} ${op.kind}: ${found.length} reversal(s)`);
        else {
          if (op.idempotencyKey && found[0]?.idempotency_key !== op.idempotencyKey) {
            problems.push(
              `op ${op.id}: reversal key ${found[0]?.idempotency_key}, sent ${op.idempotencyKey}`,
            );
          }
          sameAnswers(op, found[0]?.uuid);
        }
        break;
      }
      case 'policy-deposit':
      case 'subsidy-deposit': {
        const tx = byKey.get(op.idempotencyKey ?? '');
        const rowsOfTx = tx ? (depositsOf.get(tx.uuid) ?? []) : [];
        if (tx?.kind !== 'deposit' || tx.quantity !== op.amount || rowsOfTx.length !== 1) {
          problems.push(
            `op ${op.id} ${op.kind}: transaction ${JSON.stringify(tx)}, ${rowsOfTx.length} deposit row(s)`,
          );
        } else sameAnswers(op, rowsOfTx[0]);
        break;
      }
    }
  }
  expect(problems).toEqual([]);
}

/** Deposits add up to exactly what was asked once each; a policy's limit rose once per deposit. */
async function checkMoneyTotals(ops: Op[], world: LiveWorld, ledger: string, rows: Rows): Promise<void> {
  const sum = (kind: Op['kind']) =>
    ops.filter((op) => op.kind === kind).reduce((s, op) => s + (op.amount ?? 0), 0);
  const row = await ledgerRow(rows, ledger);
  expect(row.total_deposits_cents).toBe(
    world.startingBalance + sum('policy-deposit') + sum('subsidy-deposit'),
  );
  const [policy] = await rows<{ spend_limit: number }>(
    'select spend_limit::float8 as spend_limit from subsidy_access_policies where uuid = $1',
    [world.direct.uuid],
  );
  expect(policy?.spend_limit).toBe(world.direct.spendLimit + sum('policy-deposit'));
}

async function checkInvariants(world: LiveWorld, rows: Rows): Promise<void> {
  // Every committed spend has exactly one enrollment, and every enrollment a committed spend.
  expect(
    await rows(
      `select t.uuid, count(e.uuid)::int as enrollments from ledger_transactions t
         left join enrollments e on e.transaction_uuid = t.uuid
        where t.kind = 'spend' and t.state = 'committed'
        group by t.uuid having count(e.uuid) <> 1`,
    ),
    'committed spends without exactly one enrollment',
  ).toEqual([]);
  expect(
    await rows(
      `select e.uuid, t.state from enrollments e
         left join ledger_transactions t on t.uuid = e.transaction_uuid
        where t.uuid is null or t.state <> 'committed'`,
    ),
    'enrollments without a committed spend',
  ).toEqual([]);
  // A reversed spend's enrollment is inactive (a refund cancels it), and an active one is not reversed.
  expect(
    await rows(
      `select e.uuid from enrollments e join ledger_reversals r on r.transaction_uuid = e.transaction_uuid
        where e.is_active`,
    ),
    'active enrollments of reversed spends',
  ).toEqual([]);
  // No assignment is accepted without a committed transaction; no assigned spend without its assignment.
  expect(
    await rows(
      `select a.uuid, a.transaction_uuid, t.state from learner_content_assignments a
         left join ledger_transactions t on t.uuid = a.transaction_uuid
        where a.state = 'accepted' and (t.uuid is null or t.state <> 'committed')`,
    ),
    'accepted assignments without a committed transaction',
  ).toEqual([]);
  expect(
    await rows(
      `select t.uuid from ledger_transactions t
        where t.subsidy_access_policy_uuid = $1 and t.state = 'committed'
          and not exists (select 1 from learner_content_assignments a
                           where a.transaction_uuid = t.uuid and a.state = 'accepted')`,
      [world.assigned.uuid],
    ),
    'assigned spends without their accepted assignment',
  ).toEqual([]);
  // The outbox holds exactly one message per email action that committed, and nothing else.
  expect(
    await rows(
      `select a.uuid, count(x.uuid)::int as notified from learner_content_assignments a
         left join learner_content_assignment_actions x
           on x.assignment_uuid = a.uuid and x.action_type = 'notified'
        group by a.uuid having count(x.uuid) <> 1`,
    ),
    'assignments without exactly one notified action',
  ).toEqual([]);
  expect(
    await rows(
      `select x.uuid, x.action_type, count(o.uuid)::int as messages
         from learner_content_assignment_actions x
         left join outbox o on o.ref = 'assignment-action:' || x.uuid
        where x.action_type in ('notified', 'reminded', 'cancelled', 'expired')
        group by x.uuid, x.action_type having count(o.uuid) <> 1`,
    ),
    'email actions without exactly one outbox message',
  ).toEqual([]);
  expect(
    await rows(
      `select o.uuid, o.template, o.ref from outbox o
        where o.ref is null or o.ref not like 'assignment-action:%'
           or not exists (select 1 from learner_content_assignment_actions x
                           where o.ref = 'assignment-action:' || x.uuid)`,
    ),
    'outbox messages no committed change asked for',
  ).toEqual([]);
  // TODO(browse-and-request): checkRequests — each approved request has one assignment, one accepted
  // transaction once redeemed, and one approval email; a declined or cancelled one has none.
}
