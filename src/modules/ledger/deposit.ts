import type { Trx } from '../../db/db.js';
import { ValidationFailed } from '../../shared/errors.js';
import { appendEntry, type LedgerDeps } from './append-entry.js';
import * as contracts from './contract.repository.js';
import type { DepositRow, TransactionRow } from './schema.js';

export interface DepositInput {
  ledgerUuid: string;
  quantity: number;
  salesContractReferenceId: string | null;
  salesContractReferenceProvider: string | null;
  idempotencyKey?: string;
  metadata?: Record<string, unknown> | null;
}

/**
 * Adds contract-backed value to a ledger: a committed positive transaction plus its deposit
 * record. Idempotent by key (Open edX's deposits are not: a retried request errors or doubles).
 */
export async function createDeposit(
  trx: Trx,
  deps: LedgerDeps,
  input: DepositInput,
): Promise<{ deposit: DepositRow; transaction: TransactionRow; created: boolean }> {
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) {
    throw ValidationFailed.field(
      'desired_deposit_quantity',
      'Deposits must be a positive whole number.',
      'invalid_deposit_quantity',
    );
  }
  if (input.salesContractReferenceProvider) {
    if (!(await contracts.providerExists(trx, input.salesContractReferenceProvider))) {
      throw ValidationFailed.field(
        'sales_contract_reference_provider',
        `Unknown provider "${input.salesContractReferenceProvider}".`,
        'unknown_sales_contract_reference_provider',
      );
    }
  }
  const key =
    input.idempotencyKey ??
    `${input.ledgerUuid}-deposit-${input.quantity}-sales-contract-${input.salesContractReferenceId ?? deps.ids.uuid()}`;
  const { transaction, created } = await appendEntry(trx, deps, {
    ledgerUuid: input.ledgerUuid,
    kind: 'deposit',
    quantity: input.quantity,
    idempotencyKey: key,
    state: 'committed',
    metadata: input.metadata ?? null,
  });
  if (!created)
    return { deposit: await contracts.getDepositByTransaction(trx, transaction.uuid), transaction, created };
  const deposit = await contracts.insertDeposit(trx, {
    uuid: deps.ids.uuid(),
    ledger_uuid: input.ledgerUuid,
    transaction_uuid: transaction.uuid,
    desired_deposit_quantity: input.quantity,
    sales_contract_reference_id: input.salesContractReferenceId,
    sales_contract_reference_provider: input.salesContractReferenceProvider,
    now: deps.clock.now(),
  });
  return { deposit, transaction, created };
}
