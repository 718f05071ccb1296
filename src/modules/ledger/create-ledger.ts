import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { LedgerDeps } from './append-entry.js';
import { createDeposit } from './deposit.js';
import * as ledgers from './ledger.repository.js';
import type { LedgerRow, LedgerUnit } from './schema.js';

export interface CreateLedgerInput {
  /** The ledger of a subsidy gets the key `ledger-for-subsidy-{uuid}`. */
  subsidyUuid?: string;
  idempotencyKey?: string;
  unit?: LedgerUnit;
  metadata?: Record<string, unknown> | null;
  initialDeposit?: {
    quantity: number;
    salesContractReferenceId: string | null;
    salesContractReferenceProvider: string | null;
  };
}

/**
 * Gets or creates a ledger, with its initial deposit when one is given. Safe to repeat: the same
 * key returns the same ledger and its deposit is made once.
 */
export async function createLedger(deps: LedgerDeps, trx: Trx, input: CreateLedgerInput): Promise<LedgerRow> {
  const key =
    input.idempotencyKey ??
    (input.subsidyUuid ? `ledger-for-subsidy-${input.subsidyUuid}` : `ledger-default-${deps.ids.uuid()}`);
  const ledger = await ledgers.insertOnce(trx, {
    uuid: deps.ids.uuid(),
    idempotency_key: key,
    unit: input.unit ?? 'usd_cents',
    metadata: input.metadata ?? null,
    now: deps.clock.now(),
  });
  const deposit = input.initialDeposit;
  if (deposit && deposit.quantity > 0) {
    if (!deposit.salesContractReferenceId || !deposit.salesContractReferenceProvider) {
      throw new ValidationFailed(
        'Both sales_contract_reference_id and sales_contract_reference_provider are required when creating an initial deposit.',
        { sales_contract_reference_id: ['required with an initial deposit'] },
        'initial_deposit_needs_sales_contract',
      );
    }
    await createDeposit(deps, trx, {
      ledgerUuid: ledger.uuid,
      quantity: deposit.quantity,
      salesContractReferenceId: deposit.salesContractReferenceId,
      salesContractReferenceProvider: deposit.salesContractReferenceProvider,
      idempotencyKey: `${key}-${deposit.quantity}-initial-deposit`,
    });
  }
  return (await ledgers.getById(trx, ledger.uuid)) as LedgerRow;
}
