import type { Executor } from '../../database.js';
import type { Paged } from '../../db/paged.js';
import type { TransactionRow } from './schema.js';
import type {
  TransactionFilter,
  TransactionOrder,
  TransactionPageWindow,
  TransactionWithReversal,
} from './transaction.queries.js';
import * as queries from './transaction.queries.js';
import * as transactions from './transaction.repository.js';

/**
 * The ledger's journal as other modules read it: transactions with their reversals, counts and
 * sums over a filter. Reads only; every write goes through appendEntry, transition and reverse.
 */
export type { TransactionFilter, TransactionOrder, TransactionWithReversal };

/** One transaction with its reversal, or undefined. */
export function getTransaction(db: Executor, uuid: string): Promise<TransactionWithReversal | undefined> {
  return queries.getTransaction(db, uuid);
}

/** A page of a ledger's transactions with their reversals: two queries whatever the page size. */
export function listTransactions(
  db: Executor,
  filter: TransactionFilter,
  page: { offset: number; limit: number; orderBy?: TransactionOrder; descending?: boolean },
): Promise<TransactionWithReversal[]> {
  return queries.listTransactions(db, filter, page);
}

/**
 * A page of the filtered transactions with their reversals, and how many match (from the appended
 * counts when the filter allows, so a million-row ledger's first page costs what a small one's does).
 */
export function pageTransactions(
  db: Executor,
  filter: TransactionFilter,
  page: TransactionPageWindow,
): Promise<Paged<TransactionWithReversal>> {
  return queries.pageTransactions(db, filter, page);
}

/** The net quantity (reversals included) of the filtered, non-failed transactions. */
export function netQuantity(db: Executor, filter: TransactionFilter): Promise<number> {
  return queries.netQuantity(db, filter);
}

/** Every transaction of a learner for one content key in a ledger, with reversals, oldest first. */
export function learnerContentTransactions(
  db: Executor,
  ledgerUuid: string,
  lmsUserId: number,
  contentKey: string,
): Promise<TransactionWithReversal[]> {
  return queries.learnerContentTransactions(db, ledgerUuid, lmsUserId, contentKey);
}

/**
 * The transactions of many learners for many content keys in some ledgers (of one kind when
 * given), with reversals, oldest first: two queries whatever the numbers.
 */
export function transactionsOfLearners(
  db: Executor,
  ledgerUuids: string[],
  lmsUserIds: number[],
  contentKeys: string[],
  kind?: TransactionRow['kind'],
): Promise<TransactionWithReversal[]> {
  return queries.transactionsOfLearners(db, ledgerUuids, lmsUserIds, contentKeys, kind);
}

/** Committed, non-reversed spends per learner in a ledger (under one policy reference when given). */
export function committedCountsByLearner(
  db: Executor,
  ledgerUuid: string,
  policyUuid?: string,
): Promise<Array<{ lms_user_id: number; total: number }>> {
  return queries.committedCountsByLearner(db, ledgerUuid, policyUuid);
}

/** Which of these transactions have a reversal: one query. */
export function reversedTransactionUuids(db: Executor, transactionUuids: string[]): Promise<Set<string>> {
  return queries.reversedTransactionUuids(db, transactionUuids);
}

/** Unfinished transactions (created or pending, or the states given) older than `before`, oldest first. */
export function unfinishedTransactionsBefore(
  db: Executor,
  before: Date,
  limit: number,
  states?: ReadonlyArray<'created' | 'pending'>,
): Promise<TransactionRow[]> {
  return transactions.listUnfinishedBefore(db, before, limit, states);
}
