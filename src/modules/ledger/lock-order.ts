import type { Db, Trx } from '../../database.js';
import { Conflict } from '../../shared/errors.js';
import * as ledgers from './ledger.repository.js';
import type { LedgerRow, TransactionRow } from './schema.js';
import * as transactions from './transaction.repository.js';

/**
 * THE LOCK ORDER — the one order in which every path that touches a redemption takes row locks:
 *
 *   1. subsidy_access_policies       the policy (redeem, allocation, cancel, expiry, deposit-funds)
 *   2. ledgers                       the subsidy's ledger (every balance change: appendEntry)
 *   3. ledger_transactions           the redemption's transaction (transition, reverse)
 *   4. enrollments                   the enrollment it paid for (redeem inserts it, refunds end it)
 *   5. learner_content_assignments   the assignment it fulfilled (redeem accepts it, cancel ends it)
 *   6. learner_credit_requests       the browse & request request following that assignment
 *
 * A path may skip steps, never go back: after locking a row of one table it locks no row of an
 * earlier one. Redeem (policy → ledger → transaction → enrollment → assignment), the learner's
 * unenroll refund and the operator's reverse (ledger → transaction → enrollment), the fail-stale
 * sweeper (ledger → transaction), deposits (policy → ledger), allocation, cancel and expiry
 * (policy → assignment → request) all follow it; two paths that took the same rows in opposite orders deadlocked
 * under load (a refund by unenroll racing one by reverse answered 40P01 as a 500).
 * `src/modules/ledger/test/lock-order.test.ts` records the SQL of each path and fails when one
 * takes its locks in another order (the check is `test/support/lock-order.ts`); a new table locked
 * on a redemption path goes into this list, or into LOCKED_UNDER.
 *
 * Rows written under these locks without a lock of their own (reversals, deposits, policy spend
 * totals, redemption attempts) are serialized by the ledger or policy lock and are not listed.
 */
export const LOCK_ORDER = [
  'subsidy_access_policies',
  'ledgers',
  'ledger_transactions',
  'enrollments',
  'learner_content_assignments',
  'learner_credit_requests',
] as const;

export type LockedTable = (typeof LOCK_ORDER)[number];

/**
 * Tables whose rows are only ever locked (updated) while the caller holds a lock of LOCK_ORDER
 * that guards them all: the per-policy spend totals move only under their ledger's row lock, so
 * their own order relative to the transaction row does not matter.
 */
export const LOCKED_UNDER: Readonly<Record<string, LockedTable>> = {
  ledger_policy_totals: 'ledgers',
  ledger_policy_learner_totals: 'ledgers',
};

/**
 * Locks a ledger row for the rest of the caller's transaction (step 2 of LOCK_ORDER): every
 * balance change of the ledger waits behind it. Undefined when there is no such ledger.
 */
export async function lockLedger(trx: Trx, ledgerUuid: string): Promise<LedgerRow | undefined> {
  return ledgers.lockById(trx, ledgerUuid);
}

/**
 * Locks a redemption for a refund or a state change, in the lock order: its ledger row first,
 * then its transaction row. Undefined when there is no such transaction.
 */
export async function lockRedemption(trx: Trx, transactionUuid: string): Promise<TransactionRow | undefined> {
  if (!(await ledgers.lockByTransaction(trx, transactionUuid))) return undefined;
  return transactions.lockById(trx, transactionUuid);
}

/** PostgreSQL's "try again" answers: deadlock_detected and serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);

export function isLockConflict(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 3) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && RETRYABLE.has(code)) return true;
  return isLockConflict((err as { cause?: unknown }).cause, depth + 1);
}

export const MONEY_TRANSACTION_ATTEMPTS = 4;

/**
 * `db.transaction(fn)` for a money path: a deadlock or serialization failure (which the lock order
 * should make rare) rolls back and runs `fn` again on fresh rows, up to four times; what still
 * conflicts is a 409 `concurrent_update_conflict` the caller can retry, never a 500. `fn` must
 * only touch the database (it may run more than once).
 */
export async function moneyTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      if (!isLockConflict(err)) throw err;
      if (attempt >= MONEY_TRANSACTION_ATTEMPTS) {
        throw new Conflict(
          'Another change to the same money was being made at the same moment; send the request again.',
          'concurrent_update_conflict',
        );
      }
      // A short, jittered pause so that the transactions that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
