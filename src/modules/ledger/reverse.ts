import type { Trx } from '../../database.js';
import { BusinessRule, Conflict } from '../../shared/errors.js';
import { countPolicySpend, type LedgerDeps } from './append-entry.js';
import { transactionNotFound } from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import { lockRedemption } from './lock-order.js';
import type { ReversalRow, TransactionRow } from './schema.js';
import * as transactions from './transaction.repository.js';

/**
 * Fully reverses a committed spend (a refund). At most one reversal per transaction: the same key
 * again returns it, another key is refused. Deposits and adjustments are corrected with a new
 * adjustment, never reversed.
 */
export async function reverseTransaction(
  deps: LedgerDeps,
  trx: Trx,
  input: { transactionUuid: string; idempotencyKey: string; metadata?: Record<string, unknown> | null },
): Promise<{ reversal: ReversalRow; transaction: TransactionRow; created: boolean }> {
  // Ledger, then transaction: the lock order (lock-order.ts). A caller that ends an enrollment
  // locks it after this returns.
  const tx = await lockRedemption(trx, input.transactionUuid);
  if (!tx) throw transactionNotFound(input.transactionUuid);

  const existing = await transactions.getReversal(trx, tx.uuid);
  if (existing) {
    if (existing.idempotency_key === input.idempotencyKey)
      return { reversal: existing, transaction: tx, created: false };
    throw new Conflict(`Transaction ${tx.uuid} is already reversed.`, 'transaction_already_reversed');
  }
  if (tx.kind !== 'spend') {
    throw new BusinessRule(
      'cannot_reverse_non_spend',
      'Only spends can be reversed; correct a deposit or an adjustment with a new adjustment.',
    );
  }
  if (tx.state !== 'committed') {
    throw new Conflict(
      `Transaction ${tx.uuid} is ${tx.state}; only committed transactions can be reversed.`,
      'transaction_not_committed',
    );
  }
  const now = deps.clock.now();
  const reversal = await transactions.insertReversal(trx, {
    uuid: deps.ids.uuid(),
    transaction_uuid: tx.uuid,
    idempotency_key: input.idempotencyKey,
    quantity: -tx.quantity,
    metadata: input.metadata ?? null,
    now,
  });
  await ledgers.addToBalances(
    trx,
    tx.ledger_uuid,
    { balance: -tx.quantity, committed: -tx.quantity, deposits: 0 },
    now,
  );
  await countPolicySpend(trx, tx, -1, now);
  return { reversal, transaction: tx, created: true };
}
