import type { z } from 'zod';
import type { Step } from './step.js';

/** A step of a recipe with the slice of the workflow input it takes. */
export interface StepEntry<WI> {
  readonly step: Step<unknown, unknown>;
  inputOf(input: WI): unknown;
}

/**
 * A workflow type: an ordered recipe of steps in plain TypeScript
 * (docs/decisions/0009-workflow-steps-get-or-create.md). Its stored output is every step's output
 * keyed by step id.
 */
export interface WorkflowDefinition<WI> {
  readonly type: string;
  readonly input: z.ZodType<WI>;
  readonly steps: readonly StepEntry<WI>[];
}

/** A step taking `inputOf(workflow input)`, typed against the step's input. */
export function stepOf<WI, I, O>(step: Step<I, O>, inputOf: (input: WI) => I): StepEntry<WI> {
  return { step: step as Step<unknown, unknown>, inputOf };
}

export function defineWorkflow<WI>(definition: WorkflowDefinition<WI>): WorkflowDefinition<WI> {
  const ids = definition.steps.map((s) => s.step.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new Error(`workflow ${definition.type}: step ${repeated} appears twice`);
  return definition;
}
