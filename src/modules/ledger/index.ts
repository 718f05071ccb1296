/**
 * The ledger: a signed-integer journal per subsidy with running balances on the ledger row. It has
 * no routes; the subsidy and access modules call it inside their own transactions.
 */
export { createAdjustment } from './adjustment.js';
export type { LedgerDeps } from './append-entry.js';
export { type Balances, getBalances, getBalancesOf } from './balance.js';
export { type CreateLedgerInput, createLedger } from './create-ledger.js';
export { createDeposit, type DepositInput } from './deposit.js';
export { afterEntry, type PlannedEntry, writeEntries } from './entry-plan.js';
export { failStaleTransactions, type StaleSweepReport } from './fail-stale.js';
export { redemptionIdempotencyKey } from './fingerprint.js';
export { amountOutOfRange } from './ledger.errors.js';
/** Locks a ledger row for the rest of the caller's transaction (step 2 of LOCK_ORDER, lock-order.ts). */
export { lockById as lockLedger } from './ledger.repository.js';
export {
  isLockConflict,
  LOCK_ORDER,
  LOCKED_UNDER,
  type LockedTable,
  lockRedemption,
  MONEY_TRANSACTION_ATTEMPTS,
  moneyTransaction,
} from './lock-order.js';
export {
  learnersTotals as learnersPolicyTotals,
  policyAndLearnerTotals,
  policyTotals,
  type SpendTotals,
  totalsOfPolicies,
} from './policy-totals.repository.js';
export { reverseTransaction } from './reverse.js';
export type {
  AdjustmentReason,
  DepositRow,
  LedgerRow,
  LedgerUnit,
  ReversalRow,
  TransactionRow,
  TransactionState,
} from './schema.js';
export {
  type CommittedSpendInput,
  commitSpend,
  planCommittedSpend,
  reserveSpend,
  type SpendInput,
} from './spend.js';
export {
  committedCountsByLearner,
  countTransactions,
  getTransaction,
  learnerContentTransactions,
  listTransactions,
  netQuantity,
  reversedTransactionUuids,
  type TransactionFilter,
  type TransactionOrder,
  type TransactionWithReversal,
  transactionsOfLearners,
} from './transaction.queries.js';
export { listUnfinishedBefore as unfinishedTransactionsBefore } from './transaction.repository.js';
export { transactionCountMismatches } from './transaction-counts.repository.js';
export { transition } from './transition.js';
export { type LedgerCheck, verifyLedgers } from './verify.js';
