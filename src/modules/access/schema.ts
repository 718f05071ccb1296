import type { ColumnType, Selectable } from 'kysely';

export const POLICY_TYPES = [
  'PerLearnerEnrollmentCreditAccessPolicy',
  'PerLearnerSpendCreditAccessPolicy',
  'AssignedLearnerCreditAccessPolicy',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
export type AccessMethod = 'direct' | 'request' | 'assigned';

export interface SubsidyAccessPoliciesTable {
  uuid: string;
  policy_type: PolicyType;
  enterprise_customer_uuid: string;
  display_name: string | null;
  description: ColumnType<string, string | undefined, string>;
  active: boolean;
  retired: ColumnType<boolean, boolean | undefined, boolean>;
  retired_at: Date | null;
  catalog_uuid: string;
  subsidy_uuid: string;
  access_method: AccessMethod;
  spend_limit: number | null;
  per_learner_enrollment_limit: number | null;
  per_learner_spend_limit: number | null;
  late_redemption_allowed_until: Date | null;
  assignment_configuration_uuid: string | null;
  learner_credit_request_config_uuid: string | null;
  created: Date;
  modified: Date;
}

export interface PolicyGroupAssociationsTable {
  policy_uuid: string;
  enterprise_group_uuid: string;
  created: Date;
  modified: Date;
}

export type AttemptOutcome = 'redeemed' | 'existing' | 'refused' | 'error';

export interface RedemptionAttemptsTable {
  uuid: string;
  policy_uuid: string;
  enterprise_customer_uuid: string;
  lms_user_id: number;
  content_key: string;
  outcome: AttemptOutcome;
  reason: string | null;
  detail: string | null;
  transaction_uuid: string | null;
  forced: boolean;
  requested_by_lms_user_id: number | null;
  created: Date;
}

export interface ForcedRedemptionsTable {
  uuid: string;
  policy_uuid: string;
  lms_user_id: number;
  course_run_key: string;
  content_price_cents: number | null;
  reason: string;
  forced_by_lms_user_id: number;
  transaction_uuid: string | null;
  redeemed_at: Date | null;
  created: Date;
  modified: Date;
}

/** A policy's browse-and-request switch (reference LearnerCreditRequestConfiguration). */
export interface LearnerCreditRequestConfigurationsTable {
  uuid: string;
  policy_uuid: string;
  active: boolean;
  created: Date;
  modified: Date;
}

export type PolicyRow = Selectable<SubsidyAccessPoliciesTable>;
export type RequestConfigurationRow = Selectable<LearnerCreditRequestConfigurationsTable>;
export type AttemptRow = Selectable<RedemptionAttemptsTable>;
export type ForcedRedemptionRow = Selectable<ForcedRedemptionsTable>;

export interface AccessTables {
  subsidy_access_policies: SubsidyAccessPoliciesTable;
  policy_group_associations: PolicyGroupAssociationsTable;
  redemption_attempts: RedemptionAttemptsTable;
  forced_redemptions: ForcedRedemptionsTable;
  learner_credit_request_configurations: LearnerCreditRequestConfigurationsTable;
}
