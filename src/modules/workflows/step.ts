import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import type { Principal } from '../../shared/principal.js';

/**
 * What a step runs with: the app context bound to the step's own transaction (services it calls
 * write there, a nested `ctx.db.transaction` becomes a savepoint), the transaction itself, and
 * the principal the workflow acts as.
 */
export interface StepContext extends AppContext {
  trx: Trx;
  actor: Principal;
  workflowUuid: string;
}

/**
 * One typed unit of a workflow (docs/decisions/0009-workflow-steps-get-or-create.md). `run` is a
 * get-or-create: it may be repeated after a crash between its writes and its bookkeeping, and must
 * then find what it made before.
 * Input and output are JSON (they are stored on the step row), so their schemas hold no transforms.
 */
export interface Step<I, O> {
  readonly id: string;
  readonly input: z.ZodType<I>;
  readonly output: z.ZodType<O>;
  run(ctx: StepContext, input: I, previous: StepOutputs): Promise<O>;
}

export function defineStep<I, O>(step: Step<I, O>): Step<I, O> {
  return step;
}

/** The outputs of the steps that ran (or had run) before, read by step. */
export class StepOutputs {
  readonly #byId: Map<string, unknown>;

  constructor(entries: Iterable<[string, unknown]> = []) {
    this.#byId = new Map(entries);
  }

  set(stepId: string, output: unknown): void {
    this.#byId.set(stepId, output);
  }

  has(stepId: string): boolean {
    return this.#byId.has(stepId);
  }

  /** The output of an earlier step; a step that asks for a later one is a bug in the recipe. */
  get<I, O>(step: Step<I, O>): O {
    if (!this.#byId.has(step.id)) throw new Error(`no output of step ${step.id} yet: check the step order`);
    return this.#byId.get(step.id) as O;
  }

  /** Every output keyed by step id: the workflow's stored output. */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.#byId);
  }
}
