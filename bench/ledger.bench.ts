import { sql } from 'kysely';
import pg from 'pg';
import {
  createLedger,
  getBalances,
  pageTransactions,
  reserveSpend,
  transition,
} from '../src/modules/ledger/index.js';
import { systemClock } from '../src/shared/clock.js';
import { randomIds } from '../src/shared/ids.js';
import type { Benchmark, Figure } from './harness.js';
import { benchDatabase } from './postgres.js';

const deps = { clock: systemClock, ids: randomIds };
const contract = {
  salesContractReferenceId: 'bench',
  salesContractReferenceProvider: 'salesforce_opportunity_line_item',
};

/** Runs `work` from `clients` concurrent loops for `ms`; returns completed operations per second. */
async function throughput(clients: number, ms: number, work: (client: number, i: number) => Promise<void>) {
  const end = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        await work(c, i);
        done++;
      }
    }),
  );
  return (done * 1000) / ms;
}

async function timeMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

/**
 * Spends per second on one hot ledger through Campus's ledger code, beside the same locks and
 * writes in bare SQL on the same server (the floor); and the balance read at 10 k and 1 M
 * transactions, beside the journal aggregate Open edX runs on every read.
 */
export const ledgerBenchmark: Benchmark = {
  name: 'ledger',
  description: 'hot-ledger spends/s (PostgreSQL) and balance reads at 10 k vs 1 M transactions',
  async run(log) {
    const env = await benchDatabase();
    if ('skip' in env) {
      log(`  skipped: ${env.skip}`);
      return [];
    }
    const { db } = env;
    try {
      const hot = await db.transaction((trx) =>
        createLedger(deps, trx, { idempotencyKey: 'hot', initialDeposit: { quantity: 1e12, ...contract } }),
      );
      const clients = 50;
      log(`  Campus reserve + commit on one ledger, ${clients} clients, 5 s ...`);
      const campus = await throughput(clients, 5000, async (c, i) => {
        await db.transaction(async (trx) => {
          const { transaction } = await reserveSpend(deps, trx, {
            ledgerUuid: hot.uuid,
            amount: 1,
            idempotencyKey: `c${c}-${i}-${Date.now()}`,
            lmsUserId: c,
            contentKey: 'course-v1:Bench+X+1',
          });
          await transition(deps, trx, transaction.uuid, 'committed');
        });
      });

      log(`  bare SQL: lock ledger, insert, update balance, ${clients} clients, 5 s ...`);
      const pool = new pg.Pool({ connectionString: env.url, max: clients });
      const floor = await throughput(clients, 5000, async (c, i) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('select balance_cents from ledgers where uuid = $1 for update', [hot.uuid]);
          await client.query(
            `insert into ledger_transactions (uuid, ledger_uuid, idempotency_key, fingerprint, kind, quantity, state, created, modified)
             values (gen_random_uuid(), $1, $2, 'x', 'spend', -1, 'committed', now(), now())`,
            [hot.uuid, `bare-${c}-${i}-${Date.now()}`],
          );
          await client.query(
            'update ledgers set balance_cents = balance_cents - 1, committed_balance_cents = committed_balance_cents - 1 where uuid = $1',
            [hot.uuid],
          );
          await client.query('commit');
        } finally {
          client.release();
        }
      });
      await pool.end();

      const reads: Array<{ label: string; subject: Figure[]; baseline: Figure[] }> = [];
      // The admin portal's redemption table: a page of one policy's committed spends and their count.
      const policy = crypto.randomUUID();
      const pages = new Map<number, number>();
      for (const size of [10_000, 1_000_000]) {
        log(`  filling a ledger with ${size.toLocaleString()} transactions ...`);
        const l = await db.transaction((trx) =>
          createLedger(deps, trx, {
            idempotencyKey: `size-${size}`,
            initialDeposit: { quantity: 1e12, ...contract },
          }),
        );
        // Written by a plain client: the fill is one long statement, longer than the server's
        // per-statement bound. Half of them through the policy the page is read for.
        const filler = new pg.Client({ connectionString: env.url });
        await filler.connect();
        await filler.query(
          `insert into ledger_transactions (uuid, ledger_uuid, idempotency_key, fingerprint, kind, quantity, state,
             subsidy_access_policy_uuid, created, modified)
           select gen_random_uuid(), $1, 'fill-' || g, 'x', 'spend', -1, 'committed',
             case when g % 2 = 0 then $2::uuid end, now() - make_interval(secs => g), now()
           from generate_series(1, $3::int) g`,
          [l.uuid, policy, size],
        );
        await filler.end();
        await sql`update ledgers set balance_cents = balance_cents - ${size}, committed_balance_cents = committed_balance_cents - ${size} where uuid = ${l.uuid}`.execute(
          db.kysely,
        );
        await sql`vacuum (analyze) ledger_transactions`.execute(db.kysely);
        const filter = {
          ledgerUuid: l.uuid,
          kinds: ['spend' as const],
          policyUuid: policy,
          states: ['committed' as const],
        };
        const page = async () => {
          const { count, rows } = await pageTransactions(db.kysely, filter, { offset: 0, limit: 25 });
          if (count !== size / 2 || rows.length !== 25)
            throw new Error(`the page counted ${count}, listed ${rows.length}`);
        };
        pages.set(size, await timeMs(50, page));
        const stored = await timeMs(200, () => getBalances(db.kysely, l.uuid));
        const summed = await timeMs(size > 100_000 ? 5 : 50, () =>
          sql`select coalesce(sum(t.quantity + coalesce(r.quantity, 0)), 0) from ledger_transactions t
              left join ledger_reversals r on r.transaction_uuid = t.uuid
              where t.ledger_uuid = ${l.uuid} and t.state <> 'failed'`.execute(db.kysely),
        );
        reads.push({
          label: `balance read, ${size.toLocaleString()} transactions`,
          subject: [{ name: 'stored running balance', value: stored, unit: 'ms' }],
          baseline: [{ name: 'journal sum (Open edX)', value: summed, unit: 'ms' }],
        });
      }
      return [
        {
          label: 'spends on one hot ledger (reserve + commit, one transaction each)',
          subject: [{ name: 'Campus ledger', value: campus, unit: 'spends/s' }],
          baseline: [{ name: 'bare SQL floor', value: floor, unit: 'spends/s' }],
        },
        ...reads,
        {
          label: "admin transactions page (25) + count of one policy's committed spends",
          subject: [
            { name: 'at 1,000,000 transactions', value: pages.get(1_000_000) ?? Number.NaN, unit: 'ms' },
          ],
          baseline: [{ name: 'at 10,000 transactions', value: pages.get(10_000) ?? Number.NaN, unit: 'ms' }],
        },
      ];
    } finally {
      await env.close();
    }
  },
};
