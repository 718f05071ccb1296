import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { appendEntry, type LedgerDeps } from './append-entry.js';
import * as contracts from './contract.repository.js';
import type { AdjustmentReason, AdjustmentRow, TransactionRow } from './schema.js';

export interface AdjustmentInput {
  ledgerUuid: string;
  /** Signed: negative takes value away and is refused past the balance. */
  quantity: number;
  reason?: AdjustmentReason;
  notes?: string | null;
  transactionOfInterestUuid?: string | null;
  idempotencyKey: string;
  metadata?: Record<string, unknown> | null;
}

/** A manual correction that is not a reversal (good faith credit, a missed refund date, ...). */
export async function createAdjustment(
  deps: LedgerDeps,
  trx: Trx,
  input: AdjustmentInput,
): Promise<{ adjustment: AdjustmentRow; transaction: TransactionRow; created: boolean }> {
  if (!Number.isSafeInteger(input.quantity) || input.quantity === 0) {
    throw ValidationFailed.field(
      'quantity',
      'An adjustment must be a non-zero whole number.',
      'invalid_adjustment_quantity',
    );
  }
  const { transaction, created } = await appendEntry(deps, trx, {
    ledgerUuid: input.ledgerUuid,
    kind: 'adjustment',
    quantity: input.quantity,
    idempotencyKey: input.idempotencyKey,
    state: 'committed',
    metadata: input.metadata ?? null,
  });
  if (!created) {
    return {
      adjustment: await contracts.getAdjustmentByTransaction(trx, transaction.uuid),
      transaction,
      created,
    };
  }
  const adjustment = await contracts.insertAdjustment(trx, {
    uuid: deps.ids.uuid(),
    ledger_uuid: input.ledgerUuid,
    transaction_uuid: transaction.uuid,
    adjustment_quantity: input.quantity,
    reason: input.reason ?? 'technical_challenges',
    notes: input.notes ?? null,
    transaction_of_interest_uuid: input.transactionOfInterestUuid ?? null,
    now: deps.clock.now(),
  });
  return { adjustment, transaction, created };
}
