import type { ColumnType, Selectable } from 'kysely';
import type { LedgerUnit } from '../../shared/money.js';

export type RevenueCategory = 'bulk-enrollment-prepay' | 'partner-no-rev-prepay';

export interface SubsidiesTable {
  uuid: string;
  title: string | null;
  enterprise_customer_uuid: string;
  ledger_uuid: string;
  unit: LedgerUnit;
  starting_balance_cents: number;
  reference_id: string | null;
  reference_type: string;
  internal_only: boolean;
  revenue_category: RevenueCategory;
  active_datetime: Date | null;
  expiration_datetime: Date | null;
  is_soft_deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created: Date;
  modified: Date;
}

export interface EnrollmentsTable {
  uuid: string;
  lms_user_id: number;
  enterprise_customer_uuid: string;
  subsidy_uuid: string;
  transaction_uuid: string;
  course_run_key: string;
  course_key: string;
  mode: string;
  is_active: boolean;
  unenrolled_at: Date | null;
  /** The LMS fulfillment that made this enrollment; null when Campus enrolled in-process. */
  lms_fulfillment_uuid: string | null;
  created: Date;
  modified: Date;
}

/** An LMS enrollment to end because its redemption was refunded in Campus (delivered by a job). */
export interface LmsCancellationsTable {
  uuid: string;
  transaction_uuid: string;
  fulfillment_uuid: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  done_at: Date | null;
  last_error: string | null;
  created: Date;
  modified: Date;
}

export type SubsidyRow = Selectable<SubsidiesTable>;
export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type LmsCancellationRow = Selectable<LmsCancellationsTable>;

export interface SubsidyTables {
  subsidies: SubsidiesTable;
  enrollments: EnrollmentsTable;
  lms_cancellations: LmsCancellationsTable;
}
