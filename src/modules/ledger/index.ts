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
export {
  isLockConflict,
  LOCK_ORDER,
  LOCKED_UNDER,
  type LockedTable,
  lockLedger,
  lockRedemption,
  MONEY_TRANSACTION_ATTEMPTS,
  moneyTransaction,
} from './lock-order.js';
export {
  committedCountsByLearner,
  getTransaction,
  learnerContentTransactions,
  listTransactions,
  netQuantity,
  pageTransactions,
  reversedTransactionUuids,
  type TransactionFilter,
  type TransactionOrder,
  type TransactionWithReversal,
  transactionsOfLearners,
  unfinishedTransactionsBefore,
} from './read-transactions.js';
export { reverseTransaction } from './reverse.js';
// The row shapes the functions here take and return; the tables themselves stay the ledger's.
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
  learnersSpendByPolicy,
  type SpendTotals,
  spendByPolicies,
  spendByPolicy,
  spendByPolicyAndLearners,
} from './spend-by-policy.js';
export { transition } from './transition.js';
export { type LedgerCheck, transactionCountMismatches, verifyLedgers } from './verify.js';
