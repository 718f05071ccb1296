import type { Selectable } from 'kysely';
import type { Holds, Refines, RequiredOnInsert } from '../../db/table-types.js';
import type { LedgerUnit } from '../../shared/money.js';
import type {
  EnrollmentsColumns,
  LmsCancellationsColumns,
  SubsidiesColumns,
  SubsidyTableColumns,
} from './tables.generated.js';

export type RevenueCategory = 'bulk-enrollment-prepay' | 'partner-no-rev-prepay';

export interface SubsidiesTable
  extends Omit<SubsidiesColumns, 'unit' | 'reference_type' | 'internal_only' | 'revenue_category'> {
  unit: LedgerUnit;
  reference_type: RequiredOnInsert<string>;
  internal_only: RequiredOnInsert<boolean>;
  revenue_category: RevenueCategory;
}

/** `lms_fulfillment_uuid` is the LMS fulfillment that made this enrollment; null when Campus enrolled in-process. */
export interface EnrollmentsTable extends Omit<EnrollmentsColumns, 'is_active'> {
  is_active: RequiredOnInsert<boolean>;
}

/** An LMS enrollment to end because its redemption was refunded in Campus (delivered by a job). */
export type LmsCancellationsTable = LmsCancellationsColumns;

export type SubsidyRow = Selectable<SubsidiesTable>;
export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type LmsCancellationRow = Selectable<LmsCancellationsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = ['subsidies', 'enrollments', 'lms_cancellations'] as const;

export interface SubsidyTables {
  subsidies: SubsidiesTable;
  enrollments: EnrollmentsTable;
  lms_cancellations: LmsCancellationsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type SubsidyRefinementsHold = Holds<Refines<SubsidyTableColumns, SubsidyTables>>;
