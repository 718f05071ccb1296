import { isDeepStrictEqual } from 'node:util';
import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { StartOptions } from './run-options.js';
import { toJson } from './run-step.js';
import { runWorkflow, type WorkflowOutcome } from './run-workflow.js';
import type { WorkflowRow } from './schema.js';
import * as steps from './step.repository.js';
import { workflowKeyTaken } from './workflow.errors.js';
import type { WorkflowDefinition } from './workflow.js';
import * as workflows from './workflow.repository.js';

/**
 * Creates a workflow with its input and runs it. With a key, starts converge: the same input
 * finds the workflow already there and runs (resumes) it, or returns its output when it
 * succeeded; a different input takes over the key only from a failed workflow, else 409.
 */
export async function startWorkflow<WI>(
  ctx: AppContext,
  definition: WorkflowDefinition<WI>,
  input: WI,
  options: StartOptions,
): Promise<WorkflowOutcome> {
  const parsed = definition.input.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.') || 'non_field_errors';
      errors[field] = [...(errors[field] ?? []), issue.message];
    }
    throw new ValidationFailed('The workflow input is invalid.', errors);
  }
  const workflow = await claim(ctx, definition, parsed.data, options);
  return runWorkflow(ctx, definition, workflow.uuid, options);
}

async function claim<WI>(
  ctx: AppContext,
  definition: WorkflowDefinition<WI>,
  input: WI,
  options: StartOptions,
): Promise<WorkflowRow> {
  const json = toJson(input);
  const create = async (trx: Trx) => {
    const now = ctx.clock.now();
    const uuid = ctx.ids.uuid();
    const row = await workflows.insertOnce(trx, {
      uuid,
      type: definition.type,
      key: options.key ?? null,
      input: json,
      createdBy: options.createdBy ?? null,
      now,
    });
    if (!row) return undefined;
    // Every step's input is fixed now: a resume runs a step with the input it was first given.
    const stepRows = definition.steps.map(({ step, inputOf }, position) => ({
      uuid: ctx.ids.uuid(),
      workflowUuid: uuid,
      position,
      stepId: step.id,
      input: toJson(step.input.parse(inputOf(input))),
    }));
    await steps.insertMany(trx, stepRows, now);
    return row;
  };
  // A key released by a concurrent start between our insert and our read: look again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await ctx.db.transaction(async (trx) => {
      const created = await create(trx);
      if (created || !options.key) return created;
      const existing = await workflows.getByKey(trx, options.key);
      if (!existing) return undefined;
      const locked = await workflows.lock(trx, existing.uuid);
      if (!locked || locked.key !== options.key) return undefined;
      if (locked.type === definition.type && isDeepStrictEqual(locked.input, json)) return locked;
      if (locked.type !== definition.type || locked.state !== 'failed') {
        throw workflowKeyTaken(options.key, locked.uuid);
      }
      await workflows.releaseKey(trx, locked.uuid, ctx.clock.now());
      return create(trx);
    });
    if (row) return row;
  }
  throw new Error(`could not claim the workflow key ${options.key}`);
}
