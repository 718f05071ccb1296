import type { Executor } from '../../database.js';
import type { WorkflowStepRow } from './schema.js';

export interface NewStep {
  uuid: string;
  workflowUuid: string;
  position: number;
  stepId: string;
  input: unknown;
}

export async function insertMany(db: Executor, steps: NewStep[], now: Date): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('workflow_steps')
    .values(
      steps.map((s) => ({
        uuid: s.uuid,
        workflow_uuid: s.workflowUuid,
        position: s.position,
        step_id: s.stepId,
        state: 'pending' as const,
        input: JSON.stringify(s.input),
        output: null,
        created: now,
        modified: now,
      })),
    )
    .execute();
}

export async function listByWorkflow(db: Executor, workflowUuid: string): Promise<WorkflowStepRow[]> {
  return db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('workflow_uuid', '=', workflowUuid)
    .orderBy('position')
    .execute();
}

export async function getByStepId(
  db: Executor,
  workflowUuid: string,
  stepId: string,
): Promise<WorkflowStepRow | undefined> {
  return db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('workflow_uuid', '=', workflowUuid)
    .where('step_id', '=', stepId)
    .executeTakeFirst();
}

export async function markSucceeded(
  db: Executor,
  uuid: string,
  run: { output: unknown; startedAt: Date; now: Date },
): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set((eb) => ({
      state: 'succeeded',
      output: JSON.stringify(run.output),
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(run.startedAt)),
      succeeded_at: run.now,
      modified: run.now,
    }))
    .where('uuid', '=', uuid)
    .execute();
}

/** A failed attempt; the last error stays on the row after a later success, for the record. */
export async function markFailed(
  db: Executor,
  uuid: string,
  run: { message: string; startedAt: Date; now: Date },
): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set((eb) => ({
      state: 'failed',
      error_message: run.message,
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(run.startedAt)),
      failed_at: run.now,
      modified: run.now,
    }))
    .where('uuid', '=', uuid)
    .where('state', '<>', 'succeeded')
    .execute();
}
