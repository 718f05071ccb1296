import type { Selectable } from 'kysely';
import type { Holds, Refines } from '../../db/table-types.js';
import type { WorkflowStepsColumns, WorkflowsColumns, WorkflowsTableColumns } from './tables.generated.js';

export type WorkflowState = 'running' | 'succeeded' | 'failed';
export type StepState = 'pending' | 'succeeded' | 'failed';

export interface WorkflowsTable extends Omit<WorkflowsColumns, 'state'> {
  state: WorkflowState;
}

export interface WorkflowStepsTable extends Omit<WorkflowStepsColumns, 'state'> {
  state: StepState;
}

export type WorkflowRow = Selectable<WorkflowsTable>;
export type WorkflowStepRow = Selectable<WorkflowStepsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = ['workflows', 'workflow_steps'] as const;

export interface WorkflowsTables {
  workflows: WorkflowsTable;
  workflow_steps: WorkflowStepsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type WorkflowsRefinementsHold = Holds<Refines<WorkflowsTableColumns, WorkflowsTables>>;
