import type { Executor } from '../../database.js';
import type { WorkflowRow, WorkflowState, WorkflowStepRow } from './schema.js';
import * as steps from './step.repository.js';
import * as workflows from './workflow.repository.js';

/*
 * Reads for the module that owns a workflow type; no actor: that module authorizes its request.
 */

export interface WorkflowWithSteps {
  workflow: WorkflowRow;
  steps: WorkflowStepRow[];
}

export async function getWorkflow(db: Executor, uuid: string): Promise<WorkflowWithSteps | undefined> {
  const workflow = await workflows.getByUuid(db, uuid);
  if (!workflow) return undefined;
  return { workflow, steps: await steps.listByWorkflow(db, uuid) };
}

/** A page of workflows, newest first, optionally of one type and in one state. */
export async function listWorkflows(
  db: Executor,
  input: { type?: string; state?: WorkflowState; offset: number; limit: number },
): Promise<{ count: number; rows: WorkflowRow[] }> {
  const filter = { type: input.type, state: input.state };
  return workflows.list(db, filter, input);
}
