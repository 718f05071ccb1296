import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines, RequiredOnInsert } from '../../db/table-types.js';
import type {
  LearnerCreditRequestActionsColumns,
  LearnerCreditRequestCountsColumns,
  LearnerCreditRequestDigestsColumns,
  LearnerCreditRequestsColumns,
  RequestCustomerConfigurationsColumns,
  RequestsTableColumns,
} from './tables.generated.js';

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

export interface RequestCustomerConfigurationsTable
  extends Omit<RequestCustomerConfigurationsColumns, 'subsidy_requests_enabled' | 'subsidy_type'> {
  subsidy_requests_enabled: RequiredOnInsert<boolean>;
  subsidy_type: SubsidyType | null;
}

/**
 * `course_price` is positive cents; `requested_at` is when the learner (last) asked: creation, or the reuse
 * of an ended request.
 */
export interface LearnerCreditRequestsTable
  extends Omit<
    LearnerCreditRequestsColumns,
    'state' | 'course_partners' | 'latest_action_type' | 'latest_action_error_reason'
  > {
  state: RequestState;
  course_partners: ColumnType<unknown[] | null, string | null, string | null>;
  latest_action_type: RequestActionType | null;
  latest_action_error_reason: ActionError | null;
}

export interface LearnerCreditRequestActionsTable
  extends Omit<LearnerCreditRequestActionsColumns, 'error_reason' | 'recent_action'> {
  error_reason: ActionError | null;
  recent_action: RequestActionType;
}

export type LearnerCreditRequestDigestsTable = LearnerCreditRequestDigestsColumns;

/** Net change of a customer's requests per (policy, state, learner_request_state, latest_action_status), summed on read. */
export interface LearnerCreditRequestCountsTable extends Omit<LearnerCreditRequestCountsColumns, 'state'> {
  state: RequestState;
}

export type CustomerConfigurationRow = Selectable<RequestCustomerConfigurationsTable>;
export type RequestRow = Selectable<LearnerCreditRequestsTable>;
export type RequestActionRow = Selectable<LearnerCreditRequestActionsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'request_customer_configurations',
  'learner_credit_requests',
  'learner_credit_request_actions',
  'learner_credit_request_digests',
  'learner_credit_request_counts',
] as const;

export interface RequestsTables {
  request_customer_configurations: RequestCustomerConfigurationsTable;
  learner_credit_requests: LearnerCreditRequestsTable;
  learner_credit_request_actions: LearnerCreditRequestActionsTable;
  learner_credit_request_digests: LearnerCreditRequestDigestsTable;
  learner_credit_request_counts: LearnerCreditRequestCountsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type RequestsRefinementsHold = Holds<Refines<RequestsTableColumns, RequestsTables>>;
