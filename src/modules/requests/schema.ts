import type { ColumnType, Selectable } from 'kysely';

export const REQUEST_STATES = [
  'requested',
  'pending',
  'approved',
  'declined',
  'error',
  'accepted',
  'cancelled',
  'expired',
  'reversed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** An action's `recent_action`: any state, or a reminder. */
export type RequestActionType = RequestState | 'reminded';

export const ACTION_ERRORS = [
  'failed_approval',
  'failed_decline',
  'failed_cancellation',
  'failed_redemption',
  'failed_reversal',
  'email_error',
] as const;
export type ActionError = (typeof ACTION_ERRORS)[number];

export const SUBSIDY_TYPES = ['license', 'coupon', 'learner_credit'] as const;
export type SubsidyType = (typeof SUBSIDY_TYPES)[number];

export interface RequestCustomerConfigurationsTable {
  enterprise_customer_uuid: string;
  subsidy_requests_enabled: boolean;
  subsidy_type: SubsidyType | null;
  changed_by_lms_user_id: number | null;
  created: Date;
  modified: Date;
}

export interface LearnerCreditRequestsTable {
  uuid: string;
  lms_user_id: number;
  email: string;
  enterprise_customer_uuid: string;
  policy_uuid: string;
  learner_credit_request_config_uuid: string;
  course_id: string;
  course_title: string | null;
  course_partners: ColumnType<unknown[] | null, string | null, string | null>;
  /** Positive cents. */
  course_price: number;
  state: RequestState;
  /** When the learner (last) asked: creation, or the reuse of an ended request. */
  requested_at: Date;
  reviewed_at: Date | null;
  reviewer_lms_user_id: number | null;
  decline_reason: string | null;
  assignment_uuid: string | null;
  latest_action_uuid: string | null;
  latest_action_type: RequestActionType | null;
  latest_action_status: string | null;
  latest_action_error_reason: ActionError | null;
  latest_action_time: Date | null;
  learner_request_state: string | null;
  created: Date;
  modified: Date;
}

export interface LearnerCreditRequestActionsTable {
  uuid: string;
  learner_credit_request_uuid: string;
  recent_action: RequestActionType;
  status: string;
  error_reason: ActionError | null;
  traceback: string | null;
  created: Date;
  modified: Date;
}

export interface LearnerCreditRequestDigestsTable {
  enterprise_customer_uuid: string;
  last_remind_date: Date;
  created: Date;
  modified: Date;
}

/** Net change of a customer's requests per (policy, state, learner_request_state, latest_action_status), summed on read. */
export interface LearnerCreditRequestCountsTable {
  enterprise_customer_uuid: string;
  policy_uuid: string;
  state: RequestState;
  learner_request_state: string | null;
  latest_action_status: string | null;
  n: number;
}

export type CustomerConfigurationRow = Selectable<RequestCustomerConfigurationsTable>;
export type RequestRow = Selectable<LearnerCreditRequestsTable>;
export type RequestActionRow = Selectable<LearnerCreditRequestActionsTable>;

export interface RequestsTables {
  request_customer_configurations: RequestCustomerConfigurationsTable;
  learner_credit_requests: LearnerCreditRequestsTable;
  learner_credit_request_actions: LearnerCreditRequestActionsTable;
  learner_credit_request_digests: LearnerCreditRequestDigestsTable;
  learner_credit_request_counts: LearnerCreditRequestCountsTable;
}
