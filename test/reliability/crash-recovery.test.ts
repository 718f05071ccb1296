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
 *   allocation's `notified` action, one per approval, decline and cancel of a learner credit
 *   request), and none for a change that did not commit;
 * - browse & request: each approved request has exactly one assignment (allocated, or accepted
 *   with a committed transaction once redeemed), no request is approved without one, a declined
 *   or cancelled one has no live assignment, and the bnr policy's redeemed + allocated never
 *   passes its spend limit (which the CI load reaches, so approvals are refused under it too);
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
import { createContext } from '../../src/wiring.js';
import {
  type CampusProcess,
  type CampusProcessOptions,
  runCampusCli,
  startCampus,
} from '../support/campus-process.js';
import { type LiveWorld, liveTokens, liveWorld } from '../support/live-world.js';
import { createPgDatabase, describePg } from '../support/postgres.js';
import { seededRandom, seedFrom } from '../support/seeded-random.js';
import { foundDone, MixedLoad, type Op, resultId, verdict } from './mixed-load.js';

const SOAK = process.env.CAMPUS_SOAK === '1';
const KILLS = SOAK ? 10 : 3;
const CLIENTS = SOAK ? 8 : 5;
/** How long the load runs before each kill, in ms (chosen by the seeded generator). */
const WINDOW: [number, number] = SOAK ? [1_000, 5_000] : [300, 1_500];
const SEED = seedFrom('CAMPUS_CRASH_SEED', 20_261_123);
const SECRET = 'crash-recovery-test-secret-0123456789';
const STALE_MINUTES = 15;
const PLANTED_CENTS = 12_345;
/** The bnr policy's spend limit: 8 (CI) or 100 (soak) $100 approvals, so that the load reaches it. */
const BNR_LIMIT = SOAK ? 1_000_000 : 80_000;

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
      const world = await liveWorld((call) => first.request(call), SECRET, {
        runs: 4,
        bnrLimit: BNR_LIMIT,
      });
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
      const foundOnRetry = unanswered.filter((op) =>
        foundDone(op, op.attempts.find((a) => a.phase === 'retry')?.answer),
      ).length;
      console.info(
        `crash recovery (seed ${SEED}): ${timeline.join('; ')}; ${load.ops.length} operations ` +
          `${JSON.stringify(summarize(load.ops))}; ${unanswered.length} retried ${JSON.stringify(summarize(unanswered))}: ${foundOnRetry} had committed ` +
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
      await checkRequests(load.ops, world, rows);

      // --- the stale-transaction job fails what was left unfinished ----------------------------
      const unfinished = await rows<{ uuid: string }>(
        "select uuid from ledger_transactions where state in ('created', 'pending') order by uuid",
      );
      // Every spend is one database transaction: a kill leaves nothing half-done but the planted row.
      expect(unfinished.map((r) => r.uuid)).toEqual([planted]);
      const before = await ledgerRow(rows, ledger);
      expect(before.balance_cents).toBe(before.committed_balance_cents - PLANTED_CENTS);
      const ctx: AppContext = createContext({
        db: database.db,
        config: testConfig({ staleTransactionMinutes: STALE_MINUTES }),
        clock: systemClock,
        ids: randomIds,
        log: pino({ level: 'silent' }),
      });
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
    const { transaction } = await reserveSpend(deps, trx, {
      ledgerUuid: ledger,
      amount: PLANTED_CENTS,
      idempotencyKey: 'crash-test-abandoned-spend',
      lmsUserId: 999_999,
      contentKey: world.runKeys[0] as string,
      subsidyAccessPolicyUuid: null,
    });
    await transition(deps, trx, transaction.uuid, 'pending');
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
  const requests = await rows<RequestRow>(
    'select uuid, lms_user_id::float8 as lms_user_id, email, state, assignment_uuid from learner_credit_requests where policy_uuid = $1',
    [world.bnr.uuid],
  );
  const requestByUuid = new Map(requests.map((r) => [r.uuid, r]));
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
      case 'assigned-redeem':
      case 'request-redeem': {
        const held = spendsOf.get(`${op.learner?.lmsUserId}|${op.contentKey}`) ?? [];
        if (held.length !== 1 || held[0]?.state !== 'committed') {
          problems.push(
            `op ${op.id} ${op.kind}: ${held.length} spend(s) ${held.map((h) => h.state).join(',')}`,
          );
          break;
        }
        const policy =
          op.kind === 'assigned-redeem'
            ? world.assigned.uuid
            : op.kind === 'request-redeem'
              ? world.bnr.uuid
              : world.direct.uuid;
        if (held[0].subsidy_access_policy_uuid !== policy)
          problems.push(`op ${op.id}: spend through another policy`);
        if (op.idempotencyKey && held[0].idempotency_key !== op.idempotencyKey) {
          problems.push(`op ${op.id}: spend key ${held[0].idempotency_key}, sent ${op.idempotencyKey}`);
        }
        sameAnswers(op, held[0].uuid);
        if (op.kind === 'request-redeem' && requestByUuid.get(op.request ?? '')?.state !== 'accepted') {
          problems.push(`op ${op.id}: request ${op.request} is not accepted after its redemption`);
        }
        break;
      }
      case 'request': {
        // One request per learner, whatever the resends; each answer that made it names it.
        const mine = requests.filter((r) => r.lms_user_id === op.learner?.lmsUserId);
        const named = answers(op).flatMap((a) => (a.status === 201 ? [resultId(op, a)] : []));
        if (mine.length !== 1) problems.push(`op ${op.id} request: ${mine.length} request(s)`);
        else if (named.length > 1 || named.some((id) => id !== mine[0]?.uuid)) {
          problems.push(
            `op ${op.id} request: answers name ${named.join(', ')}, the database holds ${mine[0]?.uuid}`,
          );
        }
        break;
      }
      case 'approve':
      case 'decline':
      case 'cancel': {
        const row = requestByUuid.get(op.request ?? '');
        const verdicts = answers(op).map((a) => verdict(op, a));
        const made = answers(op).filter((a) => verdict(op, a) === 'made');
        const took = verdicts.some((v) => v === 'made' || v === 'done');
        if (!row) {
          problems.push(`op ${op.id} ${op.kind}: no request ${op.request}`);
          break;
        }
        if (made.length > 1) problems.push(`op ${op.id} ${op.kind}: made ${made.length} times`);
        if (op.kind === 'approve') {
          // Approved once (what happened next is the business of later operations), or refused.
          if (took) {
            if (!row.assignment_uuid || !['approved', 'accepted', 'cancelled'].includes(row.state))
              problems.push(`op ${op.id} approve: request ${row.state}, assignment ${row.assignment_uuid}`);
            const named = made.map((a) => resultId(op, a));
            if (named.some((id) => id !== row.assignment_uuid))
              problems.push(
                `op ${op.id} approve: answered ${named.join(', ')}, the request holds ${row.assignment_uuid}`,
              );
          } else if (row.state !== 'requested' || row.assignment_uuid) {
            problems.push(
              `op ${op.id} approve refused, but the request is ${row.state} (${row.assignment_uuid})`,
            );
          }
        } else {
          const state = op.kind === 'decline' ? 'declined' : 'cancelled';
          if (!took || row.state !== state) problems.push(`op ${op.id} ${op.kind}: request ${row.state}`);
        }
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

interface RequestRow {
  uuid: string;
  lms_user_id: number;
  email: string;
  state: string;
  assignment_uuid: string | null;
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
  // (The assigned policy's assignments: an approved request's assignment is announced by the
  // request's own email instead, which checkRequests counts.)
  expect(
    await rows(
      `select a.uuid, count(x.uuid)::int as notified from learner_content_assignments a
         left join learner_content_assignment_actions x
           on x.assignment_uuid = a.uuid and x.action_type = 'notified'
        where a.assignment_configuration_uuid = $1
        group by a.uuid having count(x.uuid) <> 1`,
      [world.assigned.configuration],
    ),
    'assignments without exactly one notified action',
  ).toEqual([]);
  expect(
    await rows(
      `select x.uuid, x.action_type, count(o.uuid)::int as messages
         from learner_content_assignment_actions x
         join learner_content_assignments a on a.uuid = x.assignment_uuid
         left join outbox o on o.ref = 'assignment-action:' || x.uuid
        where x.action_type in ('notified', 'reminded', 'cancelled', 'expired')
          and a.assignment_configuration_uuid = $1
        group by x.uuid, x.action_type having count(o.uuid) <> 1`,
      [world.assigned.configuration],
    ),
    'email actions without exactly one outbox message',
  ).toEqual([]);
  expect(
    await rows(
      `select o.uuid, o.template, o.ref from outbox o
        where o.template not like 'requests.%'
          and (o.ref is null or o.ref not like 'assignment-action:%'
               or not exists (select 1 from learner_content_assignment_actions x
                               join learner_content_assignments a on a.uuid = x.assignment_uuid
                              where o.ref = 'assignment-action:' || x.uuid
                                and a.assignment_configuration_uuid = $1))`,
      [world.assigned.configuration],
    ),
    'outbox messages no committed change asked for',
  ).toEqual([]);
}

/**
 * Browse & request: each approved request (approved, accepted once redeemed, or cancelled since)
 * has exactly one assignment of the bnr policy — allocated, accepted with a committed transaction
 * of the policy, or cancelled — and exactly one approval email; no request is approved without an
 * assignment and no assignment exists without its approved request; a declined or cancelled one has
 * no live assignment and exactly one email of its own; the outbox holds no other request email;
 * redeemed + allocated never passes the policy's spend limit.
 */
async function checkRequests(ops: Op[], world: LiveWorld, rows: Rows): Promise<void> {
  const requests = await rows<RequestRow>(
    'select uuid, lms_user_id::float8 as lms_user_id, email, state, assignment_uuid from learner_credit_requests where policy_uuid = $1',
    [world.bnr.uuid],
  );
  const assignments = await rows<{
    uuid: string;
    learner_email: string;
    state: string;
    transaction_uuid: string | null;
    transaction_state: string | null;
    transaction_policy: string | null;
  }>(
    `select a.uuid, a.learner_email, a.state, a.transaction_uuid, t.state as transaction_state,
            t.subsidy_access_policy_uuid as transaction_policy
       from learner_content_assignments a left join ledger_transactions t on t.uuid = a.transaction_uuid
      where a.assignment_configuration_uuid = $1`,
    [world.bnr.configuration],
  );
  const byUuid = new Map(assignments.map((a) => [a.uuid, a]));
  const mails = await rows<{ template: string; to_address: string }>(
    "select template, to_address from outbox where template like 'requests.%'",
  );
  const mailCount = new Map<string, number>();
  for (const m of mails) {
    const k = `${m.template}|${m.to_address}`;
    mailCount.set(k, (mailCount.get(k) ?? 0) + 1);
  }
  const expectedMails = new Map<string, number>();
  const problems: string[] = [];
  const mustMail = (template: string, to: string) => {
    const k = `requests.${template}|${to}`;
    expectedMails.set(k, (expectedMails.get(k) ?? 0) + 1);
  };
  for (const r of requests) {
    const of = assignments.filter((a) => a.learner_email === r.email);
    const mine = r.assignment_uuid ? byUuid.get(r.assignment_uuid) : undefined;
    const where = `request ${r.uuid} (${r.state})`;
    if (['approved', 'accepted', 'cancelled'].includes(r.state)) {
      mustMail('approved', r.email);
      if (!mine || of.length !== 1) {
        problems.push(`${where}: assignment ${r.assignment_uuid}, ${of.length} assignment(s) of its learner`);
        continue;
      }
      const want = { approved: 'allocated', accepted: 'accepted', cancelled: 'cancelled' }[r.state];
      if (mine.state !== want) problems.push(`${where}: assignment ${mine.uuid} is ${mine.state}`);
      if (r.state === 'accepted') {
        if (mine.transaction_state !== 'committed' || mine.transaction_policy !== world.bnr.uuid)
          problems.push(`${where}: transaction ${mine.transaction_uuid} ${mine.transaction_state}`);
      } else if (mine.transaction_uuid) {
        problems.push(`${where}: unredeemed, yet assignment ${mine.uuid} holds ${mine.transaction_uuid}`);
      }
      if (r.state === 'cancelled') mustMail('cancelled', r.email);
    } else {
      // requested (never approved or refused for the limit) or declined: no assignment at all.
      if (r.assignment_uuid || of.length > 0)
        problems.push(`${where}: assignment ${r.assignment_uuid}, ${of.length} assignment(s) of its learner`);
      if (!['requested', 'declined'].includes(r.state)) problems.push(`${where}: unexpected state`);
      if (r.state === 'declined') mustMail('declined', r.email);
    }
  }
  const owned = new Set(requests.map((r) => r.assignment_uuid));
  for (const a of assignments) {
    if (!owned.has(a.uuid)) problems.push(`assignment ${a.uuid} (${a.state}) of no approved request`);
  }
  for (const k of new Set([...mailCount.keys(), ...expectedMails.keys()])) {
    if ((mailCount.get(k) ?? 0) !== (expectedMails.get(k) ?? 0))
      problems.push(
        `outbox ${k}: ${mailCount.get(k) ?? 0} message(s), expected ${expectedMails.get(k) ?? 0}`,
      );
  }
  expect(problems, 'browse & request').toEqual([]);

  // Every committed spend of the policy is an accepted assignment of an accepted request.
  expect(
    await rows(
      `select t.uuid from ledger_transactions t
        where t.subsidy_access_policy_uuid = $1 and t.kind = 'spend' and t.state = 'committed'
          and not exists (select 1 from learner_content_assignments a
                            join learner_credit_requests r on r.assignment_uuid = a.uuid
                           where a.transaction_uuid = t.uuid and a.state = 'accepted' and r.state = 'accepted')`,
      [world.bnr.uuid],
    ),
    'bnr spends without their accepted assignment and request',
  ).toEqual([]);

  // Redeemed + allocated never passes the spend limit.
  const [usage] = await rows<{ spend_limit: number; redeemed: number; allocated: number }>(
    `select p.spend_limit::float8 as spend_limit,
            (select coalesce(-sum(t.quantity), 0)::float8 from ledger_transactions t
              where t.subsidy_access_policy_uuid = p.uuid and t.kind = 'spend' and t.state = 'committed'
                and not exists (select 1 from ledger_reversals v where v.transaction_uuid = t.uuid)) as redeemed,
            (select coalesce(-sum(a.content_quantity), 0)::float8 from learner_content_assignments a
              where a.assignment_configuration_uuid = $2 and a.state = 'allocated') as allocated
       from subsidy_access_policies p where p.uuid = $1`,
    [world.bnr.uuid, world.bnr.configuration],
  );
  expect(usage?.spend_limit).toBe(world.bnr.spendLimit);
  expect((usage?.redeemed ?? 0) + (usage?.allocated ?? 0)).toBeLessThanOrEqual(world.bnr.spendLimit);
  const refused = ops.filter(
    (op) => op.kind === 'approve' && op.attempts.some((a) => a.answer && verdict(op, a.answer) === 'refused'),
  ).length;
  console.info(
    `browse & request: ${requests.length} requests ${JSON.stringify(countBy(requests.map((r) => r.state)))}; ` +
      `redeemed ${usage?.redeemed} + allocated ${usage?.allocated} of ${world.bnr.spendLimit} ¢; ` +
      `${refused} approval(s) refused at the limit`,
  );
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
