import type { Executor } from '../../database.js';
import type { LearnerRow } from './schema.js';

export async function getByUuid(db: Executor, uuid: string): Promise<LearnerRow | undefined> {
  return db.selectFrom('credential_learners').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getByLmsUserId(db: Executor, lmsUserId: number): Promise<LearnerRow | undefined> {
  return db
    .selectFrom('credential_learners')
    .selectAll()
    .where('lms_user_id', '=', lmsUserId)
    .executeTakeFirst();
}

export async function getByUsername(db: Executor, username: string): Promise<LearnerRow | undefined> {
  return db.selectFrom('credential_learners').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function getByUuids(db: Executor, uuids: string[]): Promise<LearnerRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('credential_learners').selectAll().where('uuid', 'in', uuids).execute();
}

/** Locks the learner row: every write about one learner (and its program re-evaluation) runs under it. */
export async function lock(db: Executor, uuid: string): Promise<void> {
  await db.selectFrom('credential_learners').select('uuid').where('uuid', '=', uuid).forUpdate().execute();
}

/** Inserts the learner unless a concurrent request just did (either id taken): then nothing. */
export async function insertOnce(
  db: Executor,
  row: {
    uuid: string;
    lms_user_id: number | null;
    username: string;
    email: string | null;
    full_name: string | null;
    now: Date;
  },
): Promise<LearnerRow | undefined> {
  return db
    .insertInto('credential_learners')
    .values({
      uuid: row.uuid,
      lms_user_id: row.lms_user_id,
      username: row.username,
      email: row.email,
      full_name: row.full_name,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function update(
  db: Executor,
  uuid: string,
  patch: { lms_user_id?: number; username?: string; email?: string; full_name?: string },
  now: Date,
): Promise<LearnerRow> {
  return db
    .updateTable('credential_learners')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}
