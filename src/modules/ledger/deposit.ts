import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { appendEntry, type LedgerDeps } from './append-entry.js';
import * as contracts from './contract.repository.js';
import { idempotencyKeyConflict } from './ledger.errors.js';
import type { DepositRow, TransactionRow } from './schema.js';

export interface DepositInput {
  ledgerUuid: string;
  quantity: number;
  salesContractReferenceId: string | null;
  salesContractReferenceProvider: string | null;
  /**
   * What makes a retry the same deposit. Without one the deposit is new: two equal top-ups on one
   * sales contract are two real deposits, so no key is derived from the amount or the contract.
   */
  idempotencyKey?: string;
  metadata?: Record<string, unknown> | null;
}

const policyOf = (metadata: unknown): unknown =>
  metadata && typeof metadata === 'object' && Object.hasOwn(metadata, 'subsidy_access_policy_uuid')
    ? (metadata as Record<string, unknown>).subsidy_access_policy_uuid
    : null;

/**
 * Adds contract-backed value to a ledger: a committed positive transaction plus its deposit
 * record. Idempotent by key (Open edX's deposits are not: a retried request errors or doubles):
 * the same key for the same amount and contract returns the first deposit; for another amount or
 * contract it is a 409 idempotency_key_conflict. A call without a key is always a new deposit.
 */
export async function createDeposit(
  deps: LedgerDeps,
  trx: Trx,
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
  // A keyless call gets a fresh key. (A key built from the ledger, the amount and the contract, as
  // Open edX's default, merged a second equal top-up into the first: 200, and no money added.)
  const key = input.idempotencyKey ?? `${input.ledgerUuid}-deposit-${deps.ids.uuid()}`;
  const { transaction, created } = await appendEntry(deps, trx, {
    ledgerUuid: input.ledgerUuid,
    kind: 'deposit',
    quantity: input.quantity,
    idempotencyKey: key,
    state: 'committed',
    metadata: input.metadata ?? null,
  });
  if (!created) {
    const deposit = await contracts.getDepositByTransaction(trx, transaction.uuid);
    // The fingerprint covers the amount; the contract is the deposit's own, and a deposit made for
    // one policy (deposit-funds raises that policy's limit) is not a deposit for another.
    if (
      deposit.sales_contract_reference_id !== input.salesContractReferenceId ||
      deposit.sales_contract_reference_provider !== input.salesContractReferenceProvider ||
      policyOf(transaction.metadata) !== policyOf(input.metadata)
    ) {
      throw idempotencyKeyConflict(key);
    }
    return { deposit, transaction, created };
  }
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
