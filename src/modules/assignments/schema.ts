import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Holds, Refines } from '../../db/table-types.js';
import type {
  AssignmentConfigurationsColumns,
  AssignmentStateCountsColumns,
  AssignmentsTableColumns,
  LearnerContentAssignmentActionsColumns,
  LearnerContentAssignmentsColumns,
} from './tables.generated.js';

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

export type AssignmentConfigurationsTable = AssignmentConfigurationsColumns;

/**
 * `content_quantity` is negative cents. `notified_ok`, `notified_failed` and `last_reminded_at` summarize
 * the actions, kept by actions.repository on every insert (the admin list reads them).
 */
export interface LearnerContentAssignmentsTable
  extends Omit<LearnerContentAssignmentsColumns, 'state' | 'learner_state' | 'recent_action_time'> {
  state: Defaulted<AssignmentState>;
  /** Kept by the database from state and the summary (generated columns the admin list indexes). */
  learner_state: ColumnType<LearnerState | null, never, never>;
  /** greatest(allocated_at, last_reminded_at): never null, though the column is not declared not null. */
  recent_action_time: ColumnType<Date, never, never>;
}

export interface LearnerContentAssignmentActionsTable
  extends Omit<LearnerContentAssignmentActionsColumns, 'action_type' | 'error_reason'> {
  action_type: ActionType;
  error_reason: ErrorReason | null;
}

/** Net change of a configuration's assignments per (state, learner_state), summed on read. */
export interface AssignmentStateCountsTable
  extends Omit<AssignmentStateCountsColumns, 'state' | 'learner_state'> {
  state: AssignmentState;
  learner_state: LearnerState | null;
}

export type ConfigurationRow = Selectable<AssignmentConfigurationsTable>;
export type AssignmentRow = Selectable<LearnerContentAssignmentsTable>;
export type ActionRow = Selectable<LearnerContentAssignmentActionsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'assignment_configurations',
  'learner_content_assignments',
  'learner_content_assignment_actions',
  'assignment_state_counts',
] as const;

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

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type AssignmentsRefinementsHold = Holds<
  Refines<AssignmentsTableColumns, AssignmentsTables, 'learner_content_assignments.recent_action_time'>
>;
