import type { AppContext } from '../../context.js';
import { bindToTransaction } from './bind-transaction.js';
import type { RunOptions } from './run-options.js';
import type { Step, StepOutputs } from './step.js';
import * as steps from './step.repository.js';
import { errorMessage, InjectedFault, WorkflowFailed } from './workflow.errors.js';
import * as workflows from './workflow.repository.js';

/** Plain JSON, as it will read back from the row (no undefined keys, dates as strings). */
export const toJson = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));

export interface StepRun {
  workflowUuid: string;
  step: Step<unknown, unknown>;
  previous: StepOutputs;
  position: number;
  total: number;
}

/**
 * Runs one step in its own transaction, which first locks the workflow row: concurrent runners
 * of one workflow take turns, and one that finds the step succeeded meanwhile reuses its output.
 * The step's writes and its success bookkeeping commit together. A failure rolls the step back;
 * it is then recorded in a second transaction, and the run stops with WorkflowFailed.
 */
export async function runStep(ctx: AppContext, run: StepRun, options: RunOptions): Promise<unknown> {
  const { workflowUuid, step } = run;
  const report = (status: 'running' | 'succeeded' | 'skipped' | 'failed', error?: string) =>
    options.onProgress?.({
      workflowUuid,
      stepId: step.id,
      position: run.position,
      total: run.total,
      status,
      error,
    });
  const startedAt = ctx.clock.now();
  report('running');
  try {
    const { output, ran } = await ctx.db.transaction(async (trx) => {
      await workflows.lock(trx, workflowUuid);
      const row = await steps.getByStepId(trx, workflowUuid, step.id);
      if (!row) throw new Error(`workflow ${workflowUuid} has no step ${step.id}`);
      if (row.state === 'succeeded') return { output: step.output.parse(row.output), ran: false };
      if (options.faults?.failBefore?.(step.id)) throw new InjectedFault(step.id);
      const input = step.input.parse(row.input);
      const stepCtx = { ...bindToTransaction(ctx, trx), trx, actor: options.actor, workflowUuid };
      const result = toJson(step.output.parse(await step.run(stepCtx, input, run.previous)));
      await steps.markSucceeded(trx, row.uuid, { output: result, startedAt, now: ctx.clock.now() });
      return { output: result, ran: true };
    });
    report(ran ? 'succeeded' : 'skipped');
    return output;
  } catch (err) {
    const message = errorMessage(err);
    await recordFailure(ctx, workflowUuid, step.id, message, startedAt);
    report('failed', message);
    throw new WorkflowFailed(workflowUuid, step.id, message, { cause: err });
  }
}

async function recordFailure(
  ctx: AppContext,
  workflowUuid: string,
  stepId: string,
  message: string,
  startedAt: Date,
): Promise<void> {
  try {
    await ctx.db.transaction(async (trx) => {
      await workflows.lock(trx, workflowUuid);
      const row = await steps.getByStepId(trx, workflowUuid, stepId);
      // Another runner of the same workflow got the step done: this failure is not the workflow's.
      if (row?.state === 'succeeded') return;
      if (row) await steps.markFailed(trx, row.uuid, { message, startedAt, now: ctx.clock.now() });
      await workflows.markFailed(trx, workflowUuid, { stepId, message, now: ctx.clock.now() });
    });
  } catch (err) {
    // The database is gone too: the workflow stays "running", which a resume handles the same way.
    ctx.log.error({ err, workflowUuid, stepId }, 'could not record a failed workflow step');
  }
}
