import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import type { Learner } from './schema.js';

export interface LearnerFields {
  lms_user_id: number;
  username: string;
  email: string | null;
  /** Absent or null: keep what is stored. */
  full_name?: string | null;
}

export async function getById(db: Executor, lmsUserId: number): Promise<Learner | undefined> {
  return db
    .selectFrom('enterprise_learners')
    .selectAll()
    .where('lms_user_id', '=', lmsUserId)
    .executeTakeFirst();
}

export async function getByIds(db: Executor, lmsUserIds: number[]): Promise<Learner[]> {
  if (lmsUserIds.length === 0) return [];
  return db.selectFrom('enterprise_learners').selectAll().where('lms_user_id', 'in', lmsUserIds).execute();
}

/** Learners whose email (case-insensitively) is one of `emails` (given lower-cased). */
export async function getByEmails(db: Executor, emails: string[]): Promise<Learner[]> {
  if (emails.length === 0) return [];
  return db
    .selectFrom('enterprise_learners')
    .selectAll()
    .where(sql<string>`lower(email)`, 'in', emails)
    .orderBy('lms_user_id')
    .execute();
}

/**
 * Creates the learner or brings username and email up to date; a token without an email keeps the
 * known one. Writes nothing when nothing changed.
 */
export async function upsert(db: Executor, l: LearnerFields, now: Date): Promise<void> {
  await db
    .insertInto('enterprise_learners')
    .values({ ...l, created: now, modified: now })
    .onConflict((oc) =>
      oc
        .column('lms_user_id')
        .doUpdateSet((eb) => ({
          username: eb.ref('excluded.username'),
          email: eb.fn.coalesce(eb.ref('excluded.email'), eb.ref('enterprise_learners.email')),
          full_name: eb.fn.coalesce(eb.ref('excluded.full_name'), eb.ref('enterprise_learners.full_name')),
          modified: eb.ref('excluded.modified'),
        }))
        .where((eb) =>
          eb.or([
            eb('enterprise_learners.username', 'is distinct from', eb.ref('excluded.username')),
            eb.and([
              eb('excluded.email', 'is not', null),
              eb('enterprise_learners.email', 'is distinct from', eb.ref('excluded.email')),
            ]),
            eb.and([
              eb('excluded.full_name', 'is not', null),
              eb('enterprise_learners.full_name', 'is distinct from', eb.ref('excluded.full_name')),
            ]),
          ]),
        ),
    )
    .execute();
}

/** Creates the learner unless the id is known; an existing record is left as it is. */
export async function insertIfMissing(db: Executor, l: LearnerFields, now: Date): Promise<Learner> {
  await db
    .insertInto('enterprise_learners')
    .values({ ...l, created: now, modified: now })
    .onConflict((oc) => oc.column('lms_user_id').doNothing())
    .execute();
  return db
    .selectFrom('enterprise_learners')
    .selectAll()
    .where('lms_user_id', '=', l.lms_user_id)
    .executeTakeFirstOrThrow();
}
