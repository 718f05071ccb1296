import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { WorkflowRow, WorkflowState } from './schema.js';

export interface NewWorkflow {
  uuid: string;
  type: string;
  key: string | null;
  input: unknown;
  createdBy: number | null;
  now: Date;
}

export interface WorkflowFilter {
  type?: string;
  state?: WorkflowState;
}

/** Inserts the workflow unless another holds its key; undefined then (the caller reads that one). */
export async function insertOnce(db: Executor, w: NewWorkflow): Promise<WorkflowRow | undefined> {
  return db
    .insertInto('workflows')
    .values({
      uuid: w.uuid,
      type: w.type,
      key: w.key,
      state: 'running',
      input: JSON.stringify(w.input),
      output: null,
      created_by_lms_user_id: w.createdBy,
      created: w.now,
      modified: w.now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function getByUuid(db: Executor, uuid: string): Promise<WorkflowRow | undefined> {
  return db.selectFrom('workflows').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getByKey(db: Executor, key: string): Promise<WorkflowRow | undefined> {
  return db.selectFrom('workflows').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Locks the workflow row for the rest of the transaction: the runners of one workflow take turns. */
export async function lock(db: Executor, uuid: string): Promise<WorkflowRow | undefined> {
  return db.selectFrom('workflows').selectAll().where('uuid', '=', uuid).forUpdate().executeTakeFirst();
}

/** Frees the key of a failed workflow so that a new one (with another input) can take it. */
export async function releaseKey(db: Executor, uuid: string, now: Date): Promise<void> {
  await db.updateTable('workflows').set({ key: null, modified: now }).where('uuid', '=', uuid).execute();
}

/** A run begins: counted, and the workflow is running again unless it already succeeded. */
export async function markRunning(db: Executor, uuid: string, now: Date): Promise<void> {
  await db
    .updateTable('workflows')
    .set((eb) => ({
      state: 'running',
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
      modified: now,
    }))
    .where('uuid', '=', uuid)
    .where('state', '<>', 'succeeded')
    .execute();
}

export async function markSucceeded(
  db: Executor,
  uuid: string,
  output: unknown,
  now: Date,
): Promise<WorkflowRow | undefined> {
  return db
    .updateTable('workflows')
    .set({ state: 'succeeded', output: JSON.stringify(output), succeeded_at: now, modified: now })
    .where('uuid', '=', uuid)
    .where('state', '<>', 'succeeded')
    .returningAll()
    .executeTakeFirst();
}

/** Records where and why the run stopped; a workflow another runner finished stays succeeded. */
export async function markFailed(
  db: Executor,
  uuid: string,
  failure: { stepId: string; message: string; now: Date },
): Promise<void> {
  await db
    .updateTable('workflows')
    .set({
      state: 'failed',
      failed_step_id: failure.stepId,
      error_message: failure.message,
      failed_at: failure.now,
      modified: failure.now,
    })
    .where('uuid', '=', uuid)
    .where('state', '<>', 'succeeded')
    .execute();
}

function filtered(db: Executor, f: WorkflowFilter) {
  let q = db.selectFrom('workflows');
  if (f.type) q = q.where('type', '=', f.type);
  if (f.state) q = q.where('state', '=', f.state);
  return q;
}

/** A page of the filtered workflows, newest first, and their number. */
export async function list(db: Executor, f: WorkflowFilter, window: PageWindow): Promise<Paged<WorkflowRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'), window);
}
