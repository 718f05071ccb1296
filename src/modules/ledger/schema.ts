import type { ColumnType, Selectable } from 'kysely';

import type { Holds, Refines } from '../../db/table-types.js';
import type { LedgerUnit } from '../../shared/money.js';
import type {
  LedgerAdjustmentsColumns,
  LedgerDepositsColumns,
  LedgerPolicyLearnerTotalsColumns,
  LedgerPolicyTotalsColumns,
  LedgerReversalsColumns,
  LedgersColumns,
  LedgerTableColumns,
  LedgerTransactionCountsColumns,
  LedgerTransactionsColumns,
  SalesContractReferenceProvidersColumns,
} from './tables.generated.js';

export type { LedgerUnit };
export type TransactionState = 'created' | 'pending' | 'committed' | 'failed';
export type TransactionKind = 'spend' | 'deposit' | 'adjustment';
export type AdjustmentReason =
  | 'unauthorized_enrollment'
  | 'poor_content_fit'
  | 'technical_challenges'
  | 'missed_refund_or_date'
  | 'good_faith';

type Json = ColumnType<Record<string, unknown> | null, string | null, string | null>;

export interface LedgersTable extends Omit<LedgersColumns, 'unit' | 'metadata'> {
  unit: LedgerUnit;
  metadata: Json;
}

export interface LedgerTransactionsTable
  extends Omit<LedgerTransactionsColumns, 'kind' | 'state' | 'metadata'> {
  kind: TransactionKind;
  state: TransactionState;
  metadata: Json;
}

export interface LedgerReversalsTable extends Omit<LedgerReversalsColumns, 'state' | 'metadata'> {
  state: ColumnType<'committed', 'committed' | undefined, 'committed'>;
  metadata: Json;
}

export type LedgerDepositsTable = LedgerDepositsColumns;

export interface LedgerAdjustmentsTable extends Omit<LedgerAdjustmentsColumns, 'reason'> {
  reason: AdjustmentReason;
}

export type SalesContractReferenceProvidersTable = SalesContractReferenceProvidersColumns;

export type LedgerPolicyTotalsTable = LedgerPolicyTotalsColumns;

export type LedgerPolicyLearnerTotalsTable = LedgerPolicyLearnerTotalsColumns;

export type LedgerRow = Selectable<LedgersTable>;
export type TransactionRow = Selectable<LedgerTransactionsTable>;
export type ReversalRow = Selectable<LedgerReversalsTable>;
export type DepositRow = Selectable<LedgerDepositsTable>;
export type AdjustmentRow = Selectable<LedgerAdjustmentsTable>;

/** Net change of a ledger's transactions per (policy, kind, state), summed on read. */
export interface LedgerTransactionCountsTable extends Omit<LedgerTransactionCountsColumns, 'kind' | 'state'> {
  kind: TransactionKind;
  state: TransactionState;
}

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'ledgers',
  'ledger_transactions',
  'ledger_reversals',
  'ledger_deposits',
  'ledger_adjustments',
  'sales_contract_reference_providers',
  'ledger_policy_totals',
  'ledger_policy_learner_totals',
  'ledger_transaction_counts',
] as const;

export interface LedgerTables {
  ledgers: LedgersTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_reversals: LedgerReversalsTable;
  ledger_deposits: LedgerDepositsTable;
  ledger_adjustments: LedgerAdjustmentsTable;
  sales_contract_reference_providers: SalesContractReferenceProvidersTable;
  ledger_policy_totals: LedgerPolicyTotalsTable;
  ledger_policy_learner_totals: LedgerPolicyLearnerTotalsTable;
  ledger_transaction_counts: LedgerTransactionCountsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type LedgerRefinementsHold = Holds<Refines<LedgerTableColumns, LedgerTables>>;
