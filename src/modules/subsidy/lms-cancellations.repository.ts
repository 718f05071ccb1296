import type { Executor } from '../../database.js';
import type { LmsCancellationRow } from './schema.js';

/** Queues the end of an LMS enrollment (once per transaction, however often it is asked). */
export async function queue(
  db: Executor,
  row: { uuid: string; transactionUuid: string; fulfillmentUuid: string; now: Date },
): Promise<void> {
  await db
    .insertInto('lms_cancellations')
    .values({
      uuid: row.uuid,
      transaction_uuid: row.transactionUuid,
      fulfillment_uuid: row.fulfillmentUuid,
      next_attempt_at: row.now,
      done_at: null,
      last_error: null,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) => oc.column('transaction_uuid').doNothing())
    .execute();
}

/** Cancellations not yet done whose next attempt is due, oldest first. */
export async function due(db: Executor, now: Date, limit: number): Promise<LmsCancellationRow[]> {
  return db
    .selectFrom('lms_cancellations')
    .selectAll()
    .where('done_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

export async function finish(db: Executor, uuid: string, now: Date, error: string | null): Promise<void> {
  await db
    .updateTable('lms_cancellations')
    .set((eb) => ({ done_at: now, last_error: error, attempts: eb('attempts', '+', 1), modified: now }))
    .where('uuid', '=', uuid)
    .execute();
}

export async function retryLater(
  db: Executor,
  uuid: string,
  next: Date,
  error: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('lms_cancellations')
    .set((eb) => ({
      next_attempt_at: next,
      last_error: error,
      attempts: eb('attempts', '+', 1),
      modified: now,
    }))
    .where('uuid', '=', uuid)
    .execute();
}

export async function getByTransaction(
  db: Executor,
  transactionUuid: string,
): Promise<LmsCancellationRow | undefined> {
  return db
    .selectFrom('lms_cancellations')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirst();
}
