import type { AppContext } from '../../context.js';
import type { RunOptions } from './run-options.js';
import { runStep } from './run-step.js';
import type { WorkflowRow } from './schema.js';
import { StepOutputs } from './step.js';
import * as steps from './step.repository.js';
import { workflowNotFound } from './workflow.errors.js';
import type { WorkflowDefinition } from './workflow.js';
import * as workflows from './workflow.repository.js';

export interface WorkflowOutcome {
  workflow: WorkflowRow;
  /** Every step's output, read by step. */
  outputs: StepOutputs;
}

function outcomeOf(workflow: WorkflowRow): WorkflowOutcome {
  return { workflow, outputs: new StepOutputs(Object.entries((workflow.output ?? {}) as object)) };
}

/**
 * Runs a workflow to its end, or resumes it: steps that succeeded are skipped (their stored output
 * is reused, their `run` not called), the first one that did not is run with its stored input,
 * and so on. A succeeded workflow answers with its stored output and runs nothing.
 * Throws WorkflowFailed when a step fails; the workflow is then failed and resumable.
 */
export async function runWorkflow<WI>(
  ctx: AppContext,
  definition: WorkflowDefinition<WI>,
  uuid: string,
  options: RunOptions,
): Promise<WorkflowOutcome> {
  const workflow = await workflows.getByUuid(ctx.db.kysely, uuid);
  if (!workflow || workflow.type !== definition.type) throw workflowNotFound(uuid);
  if (workflow.state === 'succeeded') return outcomeOf(workflow);
  await workflows.markRunning(ctx.db.kysely, uuid, ctx.clock.now());

  const rows = new Map((await steps.listByWorkflow(ctx.db.kysely, uuid)).map((r) => [r.step_id, r]));
  const outputs = new StepOutputs();
  const total = definition.steps.length;
  for (const [i, { step }] of definition.steps.entries()) {
    const row = rows.get(step.id);
    // A step that had succeeded before this run needs no lock: a success is final.
    if (row?.state === 'succeeded') {
      outputs.set(step.id, step.output.parse(row.output));
      options.onProgress?.({
        workflowUuid: uuid,
        stepId: step.id,
        position: i + 1,
        total,
        status: 'skipped',
      });
      continue;
    }
    const run = { workflowUuid: uuid, step, previous: outputs, position: i + 1, total };
    outputs.set(step.id, await runStep(ctx, run, options));
  }

  const done = await ctx.db.transaction(async (trx) => {
    await workflows.lock(trx, uuid);
    // Another runner may have finished first; its output is the same steps' output.
    return (
      (await workflows.markSucceeded(trx, uuid, outputs.toJSON(), ctx.clock.now())) ??
      (await workflows.getByUuid(trx, uuid))
    );
  });
  if (!done) throw workflowNotFound(uuid);
  return outcomeOf(done);
}
