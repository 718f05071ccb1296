import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
import { containsPattern } from '../../db/like.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { ReversalRow, TransactionRow, TransactionState } from './schema.js';
import { countedTransactions } from './transaction-counts.repository.js';

export interface TransactionFilter {
  ledgerUuid: string;
  lmsUserId?: number;
  contentKey?: string;
  policyUuid?: string;
  states?: TransactionState[];
  /** Matches the learner email or the content title, case-insensitively. */
  search?: string;
  kinds?: Array<'spend' | 'deposit' | 'adjustment'>;
}

export type TransactionOrder = 'created' | 'quantity' | 'lms_user_email' | 'content_title';

export interface TransactionWithReversal extends TransactionRow {
  reversal: ReversalRow | null;
}

type Q = SelectQueryBuilder<Database, 'ledger_transactions', object>;

// Columns are qualified: the same filter is joined with reversals for sums.
function filtered(db: Executor, f: TransactionFilter): Q {
  let q = db
    .selectFrom('ledger_transactions')
    .where('ledger_transactions.ledger_uuid', '=', f.ledgerUuid) as Q;
  if (f.lmsUserId !== undefined) q = q.where('ledger_transactions.lms_user_id', '=', f.lmsUserId);
  if (f.contentKey !== undefined) q = q.where('ledger_transactions.content_key', '=', f.contentKey);
  if (f.policyUuid !== undefined)
    q = q.where('ledger_transactions.subsidy_access_policy_uuid', '=', f.policyUuid);
  if (f.states?.length) q = q.where('ledger_transactions.state', 'in', f.states);
  if (f.kinds?.length) q = q.where('ledger_transactions.kind', 'in', f.kinds);
  if (f.search) {
    const like = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([
        eb('ledger_transactions.lms_user_email', 'ilike', like),
        eb('ledger_transactions.content_title', 'ilike', like),
      ]),
    );
  }
  return q;
}

async function withReversals(db: Executor, rows: TransactionRow[]): Promise<TransactionWithReversal[]> {
  if (rows.length === 0) return [];
  const reversals = await db
    .selectFrom('ledger_reversals')
    .selectAll()
    .where(
      'transaction_uuid',
      'in',
      rows.map((r) => r.uuid),
    )
    .execute();
  const byTx = new Map(reversals.map((r) => [r.transaction_uuid, r]));
  return rows.map((r) => ({ ...r, reversal: byTx.get(r.uuid) ?? null }));
}

/**
 * How many transactions match. A filter on policy, kind and state alone (the admin portal's
 * redemption table) reads the counted change rows; a learner, content or search filter counts its
 * rows, fewer by far.
 */
export async function countTransactions(db: Executor, f: TransactionFilter): Promise<number> {
  const fromCounts = counted(db, f);
  return fromCounts ? fromCounts() : countRows(filtered(db, f));
}

/** The count from the counted change rows, when the filter is one they can answer. */
function counted(db: Executor, f: TransactionFilter): (() => Promise<number>) | undefined {
  if (f.lmsUserId !== undefined || f.contentKey !== undefined || f.search) return undefined;
  return () => countedTransactions(db, f);
}

export interface TransactionPageWindow extends PageWindow {
  orderBy?: TransactionOrder;
  descending?: boolean;
}

const ordered = (q: Q, page: TransactionPageWindow) =>
  q
    .selectAll()
    .orderBy(page.orderBy ?? 'created', page.descending === false ? 'asc' : 'desc')
    .orderBy('uuid');

/** A page of a ledger's transactions with their reversals (two queries whatever the page size). */
export async function listTransactions(
  db: Executor,
  f: TransactionFilter,
  page: TransactionPageWindow,
): Promise<TransactionWithReversal[]> {
  return withReversals(
    db,
    await ordered(filtered(db, f), page).offset(page.offset).limit(page.limit).execute(),
  );
}

/**
 * A page of a ledger's transactions with their reversals, and how many match (counted as
 * `countTransactions` counts: from the change rows when the filter allows).
 */
export async function pageTransactions(
  db: Executor,
  f: TransactionFilter,
  page: TransactionPageWindow,
): Promise<Paged<TransactionWithReversal>> {
  const found = await paged(db, filtered(db, f), (q) => ordered(q, page), page, { count: counted(db, f) });
  return { count: found.count, rows: await withReversals(db, found.rows) };
}

/** The net quantity (reversals included) of the filtered, non-failed transactions. */
export async function netQuantity(db: Executor, f: TransactionFilter): Promise<number> {
  const r = await filtered(db, f)
    .leftJoin('ledger_reversals', 'ledger_reversals.transaction_uuid', 'ledger_transactions.uuid')
    .where('ledger_transactions.state', '<>', 'failed')
    .select(
      sql<number>`coalesce(sum(ledger_transactions.quantity + coalesce(ledger_reversals.quantity, 0)), 0)::bigint`.as(
        'total',
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(r.total);
}

export async function getTransaction(
  db: Executor,
  uuid: string,
): Promise<TransactionWithReversal | undefined> {
  const row = await db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  return row ? (await withReversals(db, [row]))[0] : undefined;
}

/** Every transaction of a learner for one content key in a ledger, with reversals, oldest first. */
export async function learnerContentTransactions(
  db: Executor,
  ledgerUuid: string,
  lmsUserId: number,
  contentKey: string,
): Promise<TransactionWithReversal[]> {
  return transactionsOfLearners(db, [ledgerUuid], [lmsUserId], [contentKey]);
}

/**
 * The transactions (spends only, with `kind`) of many learners for many content keys in some
 * ledgers, with reversals, oldest first: two queries whatever the numbers, for a batch that reads
 * every learner's history at once. Every pair of learner and key is covered: callers pick theirs.
 */
export async function transactionsOfLearners(
  db: Executor,
  ledgerUuids: string[],
  lmsUserIds: number[],
  contentKeys: string[],
  kind?: TransactionRow['kind'],
): Promise<TransactionWithReversal[]> {
  if (ledgerUuids.length === 0 || lmsUserIds.length === 0 || contentKeys.length === 0) return [];
  let q = db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('ledger_uuid', 'in', [...new Set(ledgerUuids)])
    .where('lms_user_id', 'in', [...new Set(lmsUserIds)])
    .where('content_key', 'in', [...new Set(contentKeys)]);
  if (kind) q = q.where('kind', '=', kind);
  return withReversals(db, await q.orderBy('created').execute());
}

/** Committed, non-reversed spends per learner (the reference's aggregates-by-learner). */
export async function committedCountsByLearner(
  db: Executor,
  ledgerUuid: string,
  policyUuid?: string,
): Promise<Array<{ lms_user_id: number; total: number }>> {
  let q = db
    .selectFrom('ledger_transactions')
    .leftJoin('ledger_reversals', 'ledger_reversals.transaction_uuid', 'ledger_transactions.uuid')
    .where('ledger_transactions.ledger_uuid', '=', ledgerUuid)
    .where('ledger_transactions.kind', '=', 'spend')
    .where('ledger_transactions.state', '=', 'committed')
    .where('ledger_reversals.uuid', 'is', null)
    .where('ledger_transactions.lms_user_id', 'is not', null);
  if (policyUuid) q = q.where('ledger_transactions.subsidy_access_policy_uuid', '=', policyUuid);
  const rows = await q
    .select(['ledger_transactions.lms_user_id', (eb) => eb.fn.countAll<number>().as('total')])
    .groupBy('ledger_transactions.lms_user_id')
    .orderBy('ledger_transactions.lms_user_id')
    .execute();
  return rows.map((r) => ({ lms_user_id: Number(r.lms_user_id), total: Number(r.total) }));
}

/** Which of these transactions have a reversal: one query. */
export async function reversedTransactionUuids(
  db: Executor,
  transactionUuids: string[],
): Promise<Set<string>> {
  if (transactionUuids.length === 0) return new Set();
  const rows = await db
    .selectFrom('ledger_reversals')
    .select('transaction_uuid')
    .where('transaction_uuid', 'in', transactionUuids)
    .execute();
  return new Set(rows.map((r) => r.transaction_uuid));
}
