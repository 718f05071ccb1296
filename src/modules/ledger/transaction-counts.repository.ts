import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import { FOLD_AFTER, foldCounts } from '../../db/appended-counts.js';
import type { TransactionKind, TransactionState } from './schema.js';

/**
 * How many of a ledger's transactions have the policy, kinds and states asked for, from the change
 * rows the database's triggers append (migration 2026_12_07_1220): a list's count without counting
 * the transactions.
 */
export async function countedTransactions(
  db: Executor,
  f: { ledgerUuid: string; policyUuid?: string; states?: TransactionState[]; kinds?: TransactionKind[] },
): Promise<number> {
  // Every change row of the ledger is read (the filter only decides what is summed), so the fold
  // sees how many there are whatever the filter.
  const row = await db
    .selectFrom('ledger_transaction_counts')
    .select((eb) => {
      const wanted = [
        ...(f.policyUuid !== undefined ? [eb('policy_uuid', '=', f.policyUuid)] : []),
        ...(f.states?.length ? [eb('state', 'in', f.states)] : []),
        ...(f.kinds?.length ? [eb('kind', 'in', f.kinds)] : []),
      ];
      return [
        eb.fn.sum<string | null>('n').filterWhere(eb.and(wanted)).as('n'),
        eb.fn.countAll<string>().as('rows'),
      ];
    })
    .where('ledger_uuid', '=', f.ledgerUuid)
    .executeTakeFirstOrThrow();
  if (Number(row.rows) > FOLD_AFTER)
    await foldCounts(db, 'ledger_transaction_counts', { column: 'ledger_uuid', uuid: f.ledgerUuid }, [
      'policy_uuid',
      'kind',
      'state',
    ]);
  return Number(row.n ?? 0);
}

/**
 * Every (ledger, policy, kind, state) whose counted rows disagree with the transactions: empty when
 * the triggers and folds kept the counts exact (for tests and operators; reads the whole table).
 */
export async function transactionCountMismatches(db: Executor): Promise<
  Array<{
    ledger: string;
    policy: string | null;
    kind: string;
    state: string;
    counted: number;
    actual: number;
  }>
> {
  const { rows } = await sql<{
    ledger: string;
    policy: string | null;
    kind: string;
    state: string;
    counted: string;
    actual: string;
  }>`
    with counted as (
      select ledger_uuid, policy_uuid, kind, state, sum(n) as n from ledger_transaction_counts group by 1, 2, 3, 4
    ), actual as (
      select ledger_uuid, subsidy_access_policy_uuid as policy_uuid, kind, state, count(*) as n
        from ledger_transactions group by 1, 2, 3, 4
    )
    select coalesce(c.ledger_uuid, a.ledger_uuid) as ledger, coalesce(c.policy_uuid, a.policy_uuid) as policy,
           coalesce(c.kind, a.kind) as kind, coalesce(c.state, a.state) as state,
           coalesce(c.n, 0) as counted, coalesce(a.n, 0) as actual
      from counted c full join actual a
        on c.ledger_uuid = a.ledger_uuid and c.policy_uuid is not distinct from a.policy_uuid
       and c.kind = a.kind and c.state = a.state
     where coalesce(c.n, 0) <> coalesce(a.n, 0)`.execute(db);
  return rows.map((r) => ({ ...r, counted: Number(r.counted), actual: Number(r.actual) }));
}
