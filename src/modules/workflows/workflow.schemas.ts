import { z } from 'zod';

/*
 * Response schemas for the routes of a module that runs workflows (the engine has none itself).
 */

const json = z.unknown();
const timestamp = z.string().nullable();

export const workflowStateEnum = z.enum(['running', 'succeeded', 'failed']);

export const workflowSummaryView = z.object({
  uuid: z.uuid(),
  type: z.string(),
  key: z.string().nullable(),
  state: workflowStateEnum,
  attempts: z.number().int(),
  failed_step_id: z.string().nullable(),
  error_message: z.string().nullable(),
  created_by_lms_user_id: z.number().int().nullable(),
  started_at: timestamp,
  succeeded_at: timestamp,
  failed_at: timestamp,
  created: z.string(),
  modified: z.string(),
});
export type WorkflowSummaryView = z.infer<typeof workflowSummaryView>;

export const workflowStepView = z.object({
  uuid: z.uuid(),
  position: z.number().int(),
  step_id: z.string(),
  state: z.enum(['pending', 'succeeded', 'failed']),
  input: json,
  output: json,
  error_message: z.string().nullable(),
  attempts: z.number().int(),
  started_at: timestamp,
  succeeded_at: timestamp,
  failed_at: timestamp,
});
export type WorkflowStepView = z.infer<typeof workflowStepView>;

export const workflowDetailView = workflowSummaryView.extend({
  input: json,
  output: json,
  steps: z.array(workflowStepView),
});
export type WorkflowDetailView = z.infer<typeof workflowDetailView>;
