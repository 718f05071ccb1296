import type { Trx } from '../../db/db.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import { fingerprint } from './fingerprint.js';
import {
  amountOutOfRange,
  balanceExceeded,
  idempotencyKeyConflict,
  ledgerNotFound,
} from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import * as policyTotals from './policy-totals.repository.js';
import type { LedgerRow, TransactionKind, TransactionRow, TransactionState } from './schema.js';
import * as transactions from './transaction.repository.js';

export interface LedgerDeps {
  clock: Clock;
  ids: Ids;
}

export interface EntryInput {
  ledgerUuid: string;
  kind: TransactionKind;
  quantity: number;
  idempotencyKey: string;
  state: TransactionState;
  lmsUserId?: number | null;
  lmsUserEmail?: string | null;
  contentKey?: string | null;
  parentContentKey?: string | null;
  contentTitle?: string | null;
  courseRunStartDate?: Date | null;
  subsidyAccessPolicyUuid?: string | null;
  metadata?: Record<string, unknown> | null;
  /** What fulfilled the entry, for one written already committed. */
  fulfillmentIdentifier?: string | null;
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

/** How an entry in `state` moves the running balances. Failed entries count nowhere. */
export function balanceEffect(kind: TransactionKind, state: TransactionState, quantity: number) {
  if (state === 'failed') return { balance: 0, committed: 0, deposits: 0 };
  const committed = state === 'committed' ? quantity : 0;
  return { balance: quantity, committed, deposits: kind === 'spend' ? 0 : committed };
}

/** Adds (sign 1) or removes (sign -1) a live spend from its policy's totals. */
export async function countPolicySpend(trx: Trx, t: TransactionRow, sign: 1 | -1, now: Date): Promise<void> {
  if (!t.subsidy_access_policy_uuid) return;
  await policyTotals.addSpend(
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
 */
export async function appendEntry(
  trx: Trx,
  deps: LedgerDeps,
  input: EntryInput,
): Promise<{ transaction: TransactionRow; created: boolean }> {
  if (!Number.isSafeInteger(input.quantity)) throw new RangeError('quantity must be a whole number');
  const ledger = input.lockedLedger ?? (await ledgers.lockById(trx, input.ledgerUuid));
  if (!ledger || ledger.uuid !== input.ledgerUuid) throw ledgerNotFound(input.ledgerUuid);

  const print = fingerprint({
    kind: input.kind,
    quantity: input.quantity,
    lmsUserId: input.lmsUserId,
    contentKey: input.contentKey,
    policyUuid: input.subsidyAccessPolicyUuid,
  });
  const existing = input.freshKey
    ? undefined
    : await transactions.getByKey(trx, ledger.uuid, input.idempotencyKey);
  if (existing) {
    if (existing.fingerprint !== print) throw idempotencyKeyConflict(input.idempotencyKey);
    return { transaction: existing, created: false };
  }

  const effect = balanceEffect(input.kind, input.state, input.quantity);
  if (input.quantity < 0 && ledger.balance_cents + effect.balance < 0) {
    throw balanceExceeded(ledger.balance_cents, input.quantity);
  }
  // bigint columns hold more than a JS number does exactly; a sum past 2^53 would read back wrong.
  const sums = [
    ledger.balance_cents + effect.balance,
    ledger.committed_balance_cents + effect.committed,
    ledger.total_deposits_cents + effect.deposits,
  ];
  if (!sums.every(Number.isSafeInteger)) throw amountOutOfRange('ledger balance');
  const now = deps.clock.now();
  const transaction = await transactions.insert(trx, {
    uuid: deps.ids.uuid(),
    ledger_uuid: ledger.uuid,
    idempotency_key: input.idempotencyKey,
    fingerprint: print,
    kind: input.kind,
    quantity: input.quantity,
    state: input.state,
    lms_user_id: input.lmsUserId ?? null,
    lms_user_email: input.lmsUserEmail ?? null,
    content_key: input.contentKey ?? null,
    parent_content_key: input.parentContentKey ?? null,
    content_title: input.contentTitle ?? null,
    course_run_start_date: input.courseRunStartDate ?? null,
    subsidy_access_policy_uuid: input.subsidyAccessPolicyUuid ?? null,
    metadata: input.metadata ?? null,
    fulfillment_identifier: input.fulfillmentIdentifier ?? null,
    now,
  });
  await ledgers.addToBalances(trx, ledger.uuid, effect, now);
  if (transaction.kind === 'spend' && transaction.state !== 'failed')
    await countPolicySpend(trx, transaction, 1, now);
  return { transaction, created: true };
}
