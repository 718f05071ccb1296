import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { EnrollmentRow } from './schema.js';

export async function insert(db: Executor, row: EnrollmentRow): Promise<EnrollmentRow> {
  return db.insertInto('enrollments').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Many enrollments in one statement, in the order given (a batch of redemptions). */
export async function insertMany(db: Executor, rows: EnrollmentRow[]): Promise<EnrollmentRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('enrollments').values(rows).returningAll().execute();
}

/** The enrollments paid for by the given transactions, by transaction uuid. */
export async function getByTransactions(
  db: Executor,
  transactionUuids: string[],
): Promise<Map<string, EnrollmentRow>> {
  if (transactionUuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('enrollments')
    .selectAll()
    .where('transaction_uuid', 'in', transactionUuids)
    .execute();
  return new Map(rows.map((r) => [r.transaction_uuid, r]));
}

export async function getById(db: Executor, uuid: string): Promise<EnrollmentRow | undefined> {
  return db.selectFrom('enrollments').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Locks an enrollment the caller has found; one that is not there is an error, not a row to cast. */
export async function lockById(db: Executor, uuid: string): Promise<EnrollmentRow> {
  return db
    .selectFrom('enrollments')
    .selectAll()
    .where('uuid', '=', uuid)
    .forUpdate()
    .executeTakeFirstOrThrow(() => new Error(`lockById: no enrollment ${uuid}`));
}

export async function getByTransaction(
  db: Executor,
  transactionUuid: string,
): Promise<EnrollmentRow | undefined> {
  return db
    .selectFrom('enrollments')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirst();
}

export async function deactivate(db: Executor, uuid: string, at: Date): Promise<EnrollmentRow> {
  return db
    .updateTable('enrollments')
    .set({ is_active: false, unenrolled_at: at, modified: at })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A page of a learner's enrollments, newest first, and their number. */
export async function listOfLearner(
  db: Executor,
  lmsUserId: number,
  window: PageWindow,
): Promise<Paged<EnrollmentRow>> {
  return paged(
    db,
    db.selectFrom('enrollments').where('lms_user_id', '=', lmsUserId),
    (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'),
    window,
  );
}
