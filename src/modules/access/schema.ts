import type { Selectable } from 'kysely';
import type { Holds, Refines, RequiredOnInsert } from '../../db/table-types.js';
import type {
  AccessTableColumns,
  ForcedRedemptionsColumns,
  LearnerCreditRequestConfigurationsColumns,
  PolicyGroupAssociationsColumns,
  RedemptionAttemptsColumns,
  SubsidyAccessPoliciesColumns,
} from './tables.generated.js';

export const POLICY_TYPES = [
  'PerLearnerEnrollmentCreditAccessPolicy',
  'PerLearnerSpendCreditAccessPolicy',
  'AssignedLearnerCreditAccessPolicy',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
export type AccessMethod = 'direct' | 'request' | 'assigned';

export interface SubsidyAccessPoliciesTable
  extends Omit<SubsidyAccessPoliciesColumns, 'policy_type' | 'active' | 'access_method'> {
  policy_type: PolicyType;
  active: RequiredOnInsert<boolean>;
  access_method: AccessMethod;
}

export type PolicyGroupAssociationsTable = PolicyGroupAssociationsColumns;

export type AttemptOutcome = 'redeemed' | 'existing' | 'refused' | 'error';

export interface RedemptionAttemptsTable extends Omit<RedemptionAttemptsColumns, 'outcome' | 'forced'> {
  outcome: AttemptOutcome;
  forced: RequiredOnInsert<boolean>;
}

export type ForcedRedemptionsTable = ForcedRedemptionsColumns;

/** A policy's browse-and-request switch (reference LearnerCreditRequestConfiguration). */
export interface LearnerCreditRequestConfigurationsTable
  extends Omit<LearnerCreditRequestConfigurationsColumns, 'active'> {
  active: RequiredOnInsert<boolean>;
}

export type PolicyRow = Selectable<SubsidyAccessPoliciesTable>;
export type RequestConfigurationRow = Selectable<LearnerCreditRequestConfigurationsTable>;
export type AttemptRow = Selectable<RedemptionAttemptsTable>;
export type ForcedRedemptionRow = Selectable<ForcedRedemptionsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'subsidy_access_policies',
  'policy_group_associations',
  'redemption_attempts',
  'forced_redemptions',
  'learner_credit_request_configurations',
] as const;

export interface AccessTables {
  subsidy_access_policies: SubsidyAccessPoliciesTable;
  policy_group_associations: PolicyGroupAssociationsTable;
  redemption_attempts: RedemptionAttemptsTable;
  forced_redemptions: ForcedRedemptionsTable;
  learner_credit_request_configurations: LearnerCreditRequestConfigurationsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type AccessRefinementsHold = Holds<Refines<AccessTableColumns, AccessTables>>;
