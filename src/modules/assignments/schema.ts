import type { ColumnType, Insertable, Selectable } from 'kysely';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const ASSIGNMENT_STATES = [
  'allocated',
  'accepted',
  'cancelled',
  'errored',
  'expired',
  'reversed',
] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

/** States a new allocation resets to `allocated` (reference REALLOCATE_STATES). */
export const REALLOCATE_STATES: readonly AssignmentState[] = ['cancelled', 'errored', 'expired', 'reversed'];
export const CANCELABLE_STATES: readonly AssignmentState[] = ['allocated', 'errored'];
export const REMINDABLE_STATES: readonly AssignmentState[] = ['allocated'];

export const ACTION_TYPES = [
  'learner_linked',
  'notified',
  'reminded',
  'redeemed',
  'cancelled',
  'cancelled_acknowledged',
  'expired',
  'expired_acknowledged',
  'reversed',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ERROR_REASONS = ['email_error', 'internal_api_error', 'enrollment_error'] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export const LEARNER_STATES = ['notifying', 'waiting', 'failed', 'expired'] as const;
export type LearnerState = (typeof LEARNER_STATES)[number];

export interface AssignmentConfigurationsTable {
  uuid: string;
  enterprise_customer_uuid: string;
  active: Defaulted<boolean>;
  created: Date;
  modified: Date;
}

export interface LearnerContentAssignmentsTable {
  uuid: string;
  assignment_configuration_uuid: string;
  learner_email: string;
  lms_user_id: number | null;
  content_key: string;
  parent_content_key: string | null;
  is_assigned_course_run: Defaulted<boolean>;
  content_title: string | null;
  /** Negative cents. */
  content_quantity: number;
  preferred_course_run_key: string | null;
  state: Defaulted<AssignmentState>;
  allocated_at: Date;
  accepted_at: Date | null;
  cancelled_at: Date | null;
  expired_at: Date | null;
  errored_at: Date | null;
  reversed_at: Date | null;
  transaction_uuid: string | null;
  allocation_batch_id: string | null;
  admin_lms_user_id: number | null;
  learner_acknowledged: Defaulted<boolean>;
  /** Summary of the actions, kept by actions.repository on every insert (admin list reads it). */
  notified_ok: Defaulted<boolean>;
  notified_failed: Defaulted<boolean>;
  last_reminded_at: Defaulted<Date | null>;
  /** Kept by the database from state and the summary (generated columns the admin list indexes). */
  learner_state: ColumnType<LearnerState | null, never, never>;
  recent_action_time: ColumnType<Date, never, never>;
  created: Date;
  modified: Date;
}

export interface LearnerContentAssignmentActionsTable {
  uuid: string;
  assignment_uuid: string;
  action_type: ActionType;
  completed_at: Date | null;
  error_reason: ErrorReason | null;
  traceback: string | null;
  created: Date;
  modified: Date;
}

/** Net change of a configuration's assignments per (state, learner_state), summed on read. */
export interface AssignmentStateCountsTable {
  assignment_configuration_uuid: string;
  state: AssignmentState;
  learner_state: LearnerState | null;
  n: number;
}

export type ConfigurationRow = Selectable<AssignmentConfigurationsTable>;
export type AssignmentRow = Selectable<LearnerContentAssignmentsTable>;
export type ActionRow = Selectable<LearnerContentAssignmentActionsTable>;

export interface AssignmentsTables {
  assignment_configurations: AssignmentConfigurationsTable;
  learner_content_assignments: LearnerContentAssignmentsTable;
  learner_content_assignment_actions: LearnerContentAssignmentActionsTable;
  assignment_state_counts: AssignmentStateCountsTable;
}

/** A row read back as values to write: without the columns the database generates (it refuses them). */
export function writable(row: AssignmentRow): Insertable<LearnerContentAssignmentsTable> {
  const { learner_state: _state, recent_action_time: _time, ...stored } = row;
  return stored;
}
