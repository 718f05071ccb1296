import type { Trx } from '../../database.js';
import {
  type EntryFields,
  entryFingerprint,
  type LedgerDeps,
  planEntry,
  writeEntries,
} from './entry-plan.js';
import { idempotencyKeyConflict, ledgerNotFound } from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import type { LedgerRow, TransactionRow } from './schema.js';
import * as spendByPolicy from './spend-by-policy.repository.js';
import * as transactions from './transaction.repository.js';

export { balanceEffect, type LedgerDeps } from './entry-plan.js';

export interface EntryInput extends EntryFields {
  /**
   * The ledger row, when the caller has locked it in this transaction already (lockLedger): it is
   * not locked and read a second time.
   */
  lockedLedger?: LedgerRow;
  /**
   * The caller knows no transaction of the ledger carries this key (a key derived from the very
   * transactions it read under the ledger lock), so it is not looked up; the unique index on
   * (ledger, key) still stands behind it.
   */
  freshKey?: boolean;
}

/** Adds (sign 1) or removes (sign -1) a live spend from its policy's totals. */
export async function countPolicySpend(trx: Trx, t: TransactionRow, sign: 1 | -1, now: Date): Promise<void> {
  if (!t.subsidy_access_policy_uuid) return;
  await spendByPolicy.addSpend(
    trx,
    { ledgerUuid: t.ledger_uuid, policyUuid: t.subsidy_access_policy_uuid, lmsUserId: t.lms_user_id },
    { spent: sign * -t.quantity, count: sign },
    now,
  );
}

/**
 * The one way money enters or leaves a ledger. Locks the ledger row first — step 2 of the one lock
 * order written down in lock-order.ts (a caller may hold the policy row, nothing later) — then:
 * - a known idempotency key returns its transaction as it is, whatever has happened to the balance
 *   since, and a failed one stays failed; the same key for a different movement is a conflict;
 * - a negative quantity that would take the balance (reservations included) below zero is refused;
 * - otherwise the entry is written and the running balances move in the same transaction.
 * A batch of entries under one lock plans each (planEntry) and writes them together (writeEntries).
 */
export async function appendEntry(
  deps: LedgerDeps,
  trx: Trx,
  input: EntryInput,
): Promise<{ transaction: TransactionRow; created: boolean }> {
  if (!Number.isSafeInteger(input.quantity)) throw new RangeError('quantity must be a whole number');
  const ledger = input.lockedLedger ?? (await ledgers.lockById(trx, input.ledgerUuid));
  if (!ledger || ledger.uuid !== input.ledgerUuid) throw ledgerNotFound(input.ledgerUuid);
  const existing = input.freshKey
    ? undefined
    : await transactions.getByKey(trx, ledger.uuid, input.idempotencyKey);
  if (existing) {
    if (existing.fingerprint !== entryFingerprint(input)) throw idempotencyKeyConflict(input.idempotencyKey);
    return { transaction: existing, created: false };
  }
  const planned = planEntry(deps, ledger, input);
  const [transaction] = await writeEntries(trx, ledger.uuid, [planned], planned.row.now);
  return { transaction: transaction as TransactionRow, created: true };
}
