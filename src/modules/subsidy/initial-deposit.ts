import type { Executor } from '../../database.js';
import { listTransactions } from '../ledger/index.js';
import type { SubsidyRow } from './schema.js';

export interface InitialDeposit {
  transaction_uuid: string;
  ledger_uuid: string;
  quantity: number;
  sales_contract_reference_id: string;
  sales_contract_reference_provider: string;
  created: string;
}

/**
 * The deposit a subsidy's ledger was opened with (its starting balance): the ledger's first
 * deposit, with the sales contract reference getOrCreateSubsidy gave it. Null for a subsidy
 * that started empty.
 */
export async function getInitialDeposit(db: Executor, subsidy: SubsidyRow): Promise<InitialDeposit | null> {
  const deposits = await listTransactions(
    db,
    { ledgerUuid: subsidy.ledger_uuid, kinds: ['deposit'] },
    { offset: 0, limit: 10, orderBy: 'created', descending: false },
  );
  // createLedger keys it "...-initial-deposit"; later deposits may share its timestamp.
  const first = deposits.find((d) => d.idempotency_key.endsWith('-initial-deposit')) ?? deposits[0];
  if (!first) return null;
  return {
    transaction_uuid: first.uuid,
    ledger_uuid: subsidy.ledger_uuid,
    quantity: first.quantity,
    sales_contract_reference_id: subsidy.reference_id ?? `internal-${subsidy.uuid}`,
    sales_contract_reference_provider: subsidy.reference_type,
    created: first.created.toISOString(),
  };
}
