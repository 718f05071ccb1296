import type { ColumnType, Selectable } from 'kysely';

import type { LedgerUnit } from '../../shared/money.js';

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

export interface LedgersTable {
  uuid: string;
  idempotency_key: string;
  unit: LedgerUnit;
  balance_cents: ColumnType<number, number | undefined, number>;
  committed_balance_cents: ColumnType<number, number | undefined, number>;
  total_deposits_cents: ColumnType<number, number | undefined, number>;
  metadata: Json;
  created: Date;
  modified: Date;
}

export interface LedgerTransactionsTable {
  uuid: string;
  ledger_uuid: string;
  idempotency_key: string;
  fingerprint: string;
  kind: TransactionKind;
  quantity: number;
  state: TransactionState;
  lms_user_id: number | null;
  lms_user_email: string | null;
  content_key: string | null;
  parent_content_key: string | null;
  content_title: string | null;
  course_run_start_date: Date | null;
  fulfillment_identifier: string | null;
  subsidy_access_policy_uuid: string | null;
  metadata: Json;
  created: Date;
  modified: Date;
}

export interface LedgerReversalsTable {
  uuid: string;
  transaction_uuid: string;
  idempotency_key: string;
  quantity: number;
  state: ColumnType<'committed', 'committed' | undefined, 'committed'>;
  metadata: Json;
  created: Date;
  modified: Date;
}

export interface LedgerDepositsTable {
  uuid: string;
  ledger_uuid: string;
  transaction_uuid: string;
  desired_deposit_quantity: number;
  sales_contract_reference_id: string | null;
  sales_contract_reference_provider: string | null;
  created: Date;
  modified: Date;
}

export interface LedgerAdjustmentsTable {
  uuid: string;
  ledger_uuid: string;
  transaction_uuid: string;
  adjustment_quantity: number;
  reason: AdjustmentReason;
  notes: string | null;
  transaction_of_interest_uuid: string | null;
  created: Date;
  modified: Date;
}

export interface SalesContractReferenceProvidersTable {
  slug: string;
  name: string;
  created: Date;
  modified: Date;
}

export interface LedgerPolicyTotalsTable {
  ledger_uuid: string;
  policy_uuid: string;
  spent_cents: ColumnType<number, number | undefined, number>;
  redemptions: ColumnType<number, number | undefined, number>;
  modified: Date;
}

export interface LedgerPolicyLearnerTotalsTable extends LedgerPolicyTotalsTable {
  lms_user_id: number;
}

export type LedgerRow = Selectable<LedgersTable>;
export type TransactionRow = Selectable<LedgerTransactionsTable>;
export type ReversalRow = Selectable<LedgerReversalsTable>;
export type DepositRow = Selectable<LedgerDepositsTable>;
export type AdjustmentRow = Selectable<LedgerAdjustmentsTable>;

/** Net change of a ledger's transactions per (policy, kind, state), summed on read. */
export interface LedgerTransactionCountsTable {
  ledger_uuid: string;
  policy_uuid: string | null;
  kind: TransactionKind;
  state: TransactionState;
  n: number;
}

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
