import type { ColumnType, Selectable } from 'kysely';

export type WorkflowState = 'running' | 'succeeded' | 'failed';
export type StepState = 'pending' | 'succeeded' | 'failed';

/** A JSON column: read as parsed JSON, written as a JSON string. */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
type Counter = ColumnType<number, number | undefined, number>;

export interface WorkflowsTable {
  uuid: string;
  type: string;
  key: string | null;
  state: WorkflowState;
  input: Json;
  output: NullableJson;
  error_message: string | null;
  failed_step_id: string | null;
  attempts: Counter;
  created_by_lms_user_id: number | null;
  started_at: Date | null;
  succeeded_at: Date | null;
  failed_at: Date | null;
  created: Date;
  modified: Date;
}

export interface WorkflowStepsTable {
  uuid: string;
  workflow_uuid: string;
  position: number;
  step_id: string;
  state: StepState;
  input: Json;
  output: NullableJson;
  error_message: string | null;
  attempts: Counter;
  started_at: Date | null;
  succeeded_at: Date | null;
  failed_at: Date | null;
  created: Date;
  modified: Date;
}

export type WorkflowRow = Selectable<WorkflowsTable>;
export type WorkflowStepRow = Selectable<WorkflowStepsTable>;

export interface WorkflowsTables {
  workflows: WorkflowsTable;
  workflow_steps: WorkflowStepsTable;
}
