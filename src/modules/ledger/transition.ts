import type { Trx } from '../../database.js';
import { Conflict } from '../../shared/errors.js';
import { balanceEffect, countPolicySpend, type LedgerDeps } from './append-entry.js';
import { transactionNotFound } from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import { lockRedemption } from './lock-order.js';
import type { TransactionRow, TransactionState } from './schema.js';
import * as transactions from './transaction.repository.js';

const allowed: Record<TransactionState, TransactionState[]> = {
  created: ['pending', 'committed', 'failed'],
  pending: ['committed', 'failed'],
  committed: [],
  failed: [],
};

/**
 * Moves a spend along created → pending → committed | failed. Failing releases its reservation;
 * committing counts it in the committed balance. Repeating the current state is a no-op, so a
 * retried step is safe; anything else out of order (reviving a failed transaction, un-committing)
 * is refused: failed is terminal.
 */
export async function transition(
  deps: LedgerDeps,
  trx: Trx,
  transactionUuid: string,
  to: Exclude<TransactionState, 'created'>,
  fields: { fulfillmentIdentifier?: string | null } = {},
): Promise<TransactionRow> {
  // Ledger first, then the transaction: the lock order (lock-order.ts).
  const tx = await lockRedemption(trx, transactionUuid);
  if (!tx) throw transactionNotFound(transactionUuid);
  if (tx.state === to) return tx;
  if (!allowed[tx.state].includes(to)) {
    throw new Conflict(
      `Transaction ${tx.uuid} is ${tx.state} and cannot become ${to}.`,
      'invalid_transaction_state',
    );
  }
  const before = balanceEffect(tx.kind, tx.state, tx.quantity);
  const after = balanceEffect(tx.kind, to, tx.quantity);
  const now = deps.clock.now();
  const updated = await transactions.setState(
    trx,
    tx.uuid,
    to,
    fields.fulfillmentIdentifier !== undefined
      ? { fulfillment_identifier: fields.fulfillmentIdentifier }
      : {},
    now,
  );
  const delta = {
    balance: after.balance - before.balance,
    committed: after.committed - before.committed,
    deposits: after.deposits - before.deposits,
  };
  // created → pending moves no money: no write to the hot ledger row.
  if (delta.balance !== 0 || delta.committed !== 0 || delta.deposits !== 0) {
    await ledgers.addToBalances(trx, tx.ledger_uuid, delta, now);
  }
  if (to === 'failed' && tx.kind === 'spend') await countPolicySpend(trx, tx, -1, now);
  return updated;
}
