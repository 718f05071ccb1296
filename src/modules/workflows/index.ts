/**
 * The workflow engine (docs/decisions/0009-workflow-steps-get-or-create.md): a workflow is an
 * ordered recipe of typed steps, each a get-or-create run in its own transaction; the workflow and
 * every step are rows (input, output, when it started, succeeded or failed, and why), so an
 * operator sees where a run stopped and a resume picks up there. No routes: the module that owns a
 * workflow type serves it.
 */
export { getWorkflow, listWorkflows, type WorkflowWithSteps } from './read-workflows.js';
export type { RunOptions, StartOptions, StepProgress, WorkflowFaults } from './run-options.js';
export { runWorkflow, runWorkflow as resumeWorkflow, type WorkflowOutcome } from './run-workflow.js';
export type { StepState, WorkflowRow, WorkflowState, WorkflowStepRow } from './schema.js';
export { startWorkflow } from './start-workflow.js';
export { defineStep, type Step, type StepContext, StepOutputs } from './step.js';
export { workflowDetail, workflowSummary } from './views.js';
export { WorkflowFailed, workflowNotFound } from './workflow.errors.js';
export { defineWorkflow, type StepEntry, stepOf, type WorkflowDefinition } from './workflow.js';
export {
  type WorkflowDetailView,
  type WorkflowStepView,
  type WorkflowSummaryView,
  workflowDetailView,
  workflowStateEnum,
  workflowStepView,
  workflowSummaryView,
} from './workflow.schemas.js';
