import type { WorkflowWithSteps } from './read-workflows.js';
import type { WorkflowRow, WorkflowStepRow } from './schema.js';
import type { WorkflowDetailView, WorkflowStepView, WorkflowSummaryView } from './workflow.schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function workflowSummary(w: WorkflowRow): WorkflowSummaryView {
  return {
    uuid: w.uuid,
    type: w.type,
    key: w.key,
    state: w.state,
    attempts: w.attempts,
    failed_step_id: w.failed_step_id,
    error_message: w.error_message,
    created_by_lms_user_id: w.created_by_lms_user_id,
    started_at: iso(w.started_at),
    succeeded_at: iso(w.succeeded_at),
    failed_at: iso(w.failed_at),
    created: w.created.toISOString(),
    modified: w.modified.toISOString(),
  };
}

function stepView(s: WorkflowStepRow): WorkflowStepView {
  return {
    uuid: s.uuid,
    position: s.position,
    step_id: s.step_id,
    state: s.state,
    input: s.input,
    output: s.output,
    error_message: s.error_message,
    attempts: s.attempts,
    started_at: iso(s.started_at),
    succeeded_at: iso(s.succeeded_at),
    failed_at: iso(s.failed_at),
  };
}

export function workflowDetail({ workflow, steps }: WorkflowWithSteps): WorkflowDetailView {
  return {
    ...workflowSummary(workflow),
    input: workflow.input,
    output: workflow.output,
    steps: steps.map(stepView),
  };
}
