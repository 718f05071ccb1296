import type { Trx } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import { fingerprint } from './fingerprint.js';
import { amountOutOfRange, balanceExceeded } from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import type { LedgerRow, TransactionKind, TransactionRow, TransactionState } from './schema.js';
import * as spendByPolicy from './spend-by-policy.repository.js';
import * as transactions from './transaction.repository.js';

export interface LedgerDeps {
  clock: Clock;
  ids: Ids;
}

/** What an entry is: the fields its caller chooses (the ledger derives the rest). */
export interface EntryFields {
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
}

export interface BalanceEffect {
  balance: number;
  committed: number;
  deposits: number;
}

/** An entry checked against the balances it will be written over, ready to insert. */
export interface PlannedEntry {
  row: transactions.NewTransaction;
  effect: BalanceEffect;
}

/** How an entry in `state` moves the running balances. Failed entries count nowhere. */
export function balanceEffect(
  kind: TransactionKind,
  state: TransactionState,
  quantity: number,
): BalanceEffect {
  if (state === 'failed') return { balance: 0, committed: 0, deposits: 0 };
  const committed = state === 'committed' ? quantity : 0;
  return { balance: quantity, committed, deposits: kind === 'spend' ? 0 : committed };
}

export function entryFingerprint(input: EntryFields): string {
  return fingerprint({
    kind: input.kind,
    quantity: input.quantity,
    lmsUserId: input.lmsUserId,
    contentKey: input.contentKey,
    policyUuid: input.subsidyAccessPolicyUuid,
  });
}

/**
 * Checks an entry against the ledger's balances as they stand — the locked row, or the running
 * balances of a batch written under that lock — and builds its row: a negative quantity that
 * would take the balance (reservations included) below zero is refused, and so is a sum that a
 * JS number cannot hold exactly (bigint columns hold more; a sum past 2^53 would read back wrong).
 * Pure: nothing is written until `writeEntries`.
 */
export function planEntry(deps: LedgerDeps, ledger: LedgerRow, input: EntryFields): PlannedEntry {
  if (!Number.isSafeInteger(input.quantity)) throw new RangeError('quantity must be a whole number');
  const effect = balanceEffect(input.kind, input.state, input.quantity);
  if (input.quantity < 0 && ledger.balance_cents + effect.balance < 0) {
    throw balanceExceeded(ledger.balance_cents, input.quantity);
  }
  const sums = [
    ledger.balance_cents + effect.balance,
    ledger.committed_balance_cents + effect.committed,
    ledger.total_deposits_cents + effect.deposits,
  ];
  if (!sums.every(Number.isSafeInteger)) throw amountOutOfRange('ledger balance');
  const row: transactions.NewTransaction = {
    uuid: deps.ids.uuid(),
    ledger_uuid: ledger.uuid,
    idempotency_key: input.idempotencyKey,
    fingerprint: entryFingerprint(input),
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
    now: deps.clock.now(),
  };
  return { row, effect };
}

/** The balances after a planned entry: what the next entry of a batch is checked against. */
export function afterEntry(ledger: LedgerRow, planned: PlannedEntry): LedgerRow {
  return {
    ...ledger,
    balance_cents: ledger.balance_cents + planned.effect.balance,
    committed_balance_cents: ledger.committed_balance_cents + planned.effect.committed,
    total_deposits_cents: ledger.total_deposits_cents + planned.effect.deposits,
  };
}

/**
 * Writes planned entries of one ledger, whose row the caller holds locked: one insert for all the
 * rows, one update of the running balances, one upsert per spend-totals table. The rows come back
 * in the order of `entries`.
 */
export async function writeEntries(
  trx: Trx,
  ledgerUuid: string,
  entries: PlannedEntry[],
  now: Date,
): Promise<TransactionRow[]> {
  if (entries.length === 0) return [];
  const inserted = await transactions.insertMany(
    trx,
    entries.map((e) => e.row),
  );
  const byUuid = new Map(inserted.map((t) => [t.uuid, t]));
  const rows = entries.map((e) => byUuid.get(e.row.uuid) as TransactionRow);
  const total = entries.reduce(
    (sum, e) => ({
      balance: sum.balance + e.effect.balance,
      committed: sum.committed + e.effect.committed,
      deposits: sum.deposits + e.effect.deposits,
    }),
    { balance: 0, committed: 0, deposits: 0 },
  );
  await ledgers.addToBalances(trx, ledgerUuid, total, now);
  const spends = rows.filter(
    (t) => t.kind === 'spend' && t.state !== 'failed' && t.subsidy_access_policy_uuid,
  );
  await spendByPolicy.addSpends(
    trx,
    spends.map((t) => ({
      ledgerUuid: t.ledger_uuid,
      policyUuid: t.subsidy_access_policy_uuid as string,
      lmsUserId: t.lms_user_id,
      spent: -t.quantity,
    })),
    now,
  );
  return rows;
}
