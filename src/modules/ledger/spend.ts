import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { appendEntry, type LedgerDeps } from './append-entry.js';
import { type PlannedEntry, planEntry } from './entry-plan.js';
import type { LedgerRow, TransactionRow } from './schema.js';

export interface SpendInput {
  ledgerUuid: string;
  /** The price in ledger units, as a positive number; it is stored as a negative quantity. */
  amount: number;
  idempotencyKey: string;
  lmsUserId: number;
  lmsUserEmail?: string | null;
  contentKey: string;
  parentContentKey?: string | null;
  contentTitle?: string | null;
  courseRunStartDate?: Date | null;
  subsidyAccessPolicyUuid?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface CommittedSpendInput extends SpendInput {
  /** What fulfilled it; null while a fulfillment outside the transaction (the LMS) is under way. */
  fulfillmentIdentifier: string | null;
  /**
   * Written `pending` instead: reserved (counted against every balance and limit) until the
   * fulfillment outside the transaction answers and `transition` moves it on.
   */
  pending?: boolean;
  /** The ledger row the caller locked in this transaction. */
  lockedLedger: LedgerRow;
  /** See EntryInput.freshKey. */
  freshKey?: boolean;
}

/**
 * A spend written in one step, already `committed` to what fulfilled it: for a redemption whose
 * fulfillment happens inside the same database transaction, where the created and pending states
 * could never be seen by anyone (and each hop would cost a lock and a write of the ledger row).
 * A fulfillment outside the transaction (an LMS) reserves instead and moves the spend on.
 */
export async function commitSpend(
  deps: LedgerDeps,
  trx: Trx,
  input: CommittedSpendInput,
): Promise<{ transaction: TransactionRow; created: boolean }> {
  checkAmount(input.amount);
  const { amount, pending, ...rest } = input;
  return appendEntry(deps, trx, {
    ...rest,
    kind: 'spend',
    quantity: -amount,
    state: pending ? 'pending' : 'committed',
  });
}

/**
 * A committed spend checked against the given balances (a batch's running copy of its locked
 * ledger row) and not yet written: the batch writes its planned entries together (writeEntries).
 * Its key must be fresh (see EntryInput.freshKey): nothing is looked up.
 */
export function planCommittedSpend(
  deps: LedgerDeps,
  ledger: LedgerRow,
  input: Omit<CommittedSpendInput, 'lockedLedger' | 'freshKey'>,
): PlannedEntry {
  checkAmount(input.amount);
  const { amount, pending, ...rest } = input;
  return planEntry(deps, ledger, {
    ...rest,
    kind: 'spend',
    quantity: -amount,
    state: pending ? 'pending' : 'committed',
  });
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw ValidationFailed.field(
      'amount',
      'A spend must be a whole, non-negative number.',
      'invalid_spend_amount',
    );
  }
}

/**
 * Reserves a spend: a `created` transaction that counts against the balance at once, so that the
 * money is held while the enrollment is made. Follow with `transition` to pending, committed or
 * failed. A price of 0 is a real price and makes a zero transaction.
 */
export async function reserveSpend(
  deps: LedgerDeps,
  trx: Trx,
  input: SpendInput,
): Promise<{ transaction: TransactionRow; created: boolean }> {
  checkAmount(input.amount);
  return appendEntry(deps, trx, {
    ledgerUuid: input.ledgerUuid,
    kind: 'spend',
    quantity: -input.amount,
    idempotencyKey: input.idempotencyKey,
    state: 'created',
    lmsUserId: input.lmsUserId,
    lmsUserEmail: input.lmsUserEmail,
    contentKey: input.contentKey,
    parentContentKey: input.parentContentKey,
    contentTitle: input.contentTitle,
    courseRunStartDate: input.courseRunStartDate,
    subsidyAccessPolicyUuid: input.subsidyAccessPolicyUuid,
    metadata: input.metadata,
  });
}
