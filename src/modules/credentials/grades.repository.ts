import type { Executor } from '../../database.js';
import type { GradeRow } from './schema.js';

export interface GradeFields {
  letter_grade: string;
  percent_grade: number;
  verified: boolean;
  lms_last_updated_at: Date | null;
}

export async function getByUuid(db: Executor, uuid: string): Promise<GradeRow | undefined> {
  return db.selectFrom('credential_grades').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Update-or-create on (learner, run); the row keeps its uuid. */
export async function upsert(
  db: Executor,
  row: GradeFields & { uuid: string; learner_uuid: string; course_run_key: string; now: Date },
): Promise<GradeRow> {
  const { now, ...values } = row;
  return db
    .insertInto('credential_grades')
    .values({ ...values, created: now, modified: now })
    .onConflict((oc) =>
      oc.columns(['learner_uuid', 'course_run_key']).doUpdateSet((eb) => ({
        letter_grade: eb.ref('excluded.letter_grade'),
        percent_grade: eb.ref('excluded.percent_grade'),
        verified: eb.ref('excluded.verified'),
        lms_last_updated_at: eb.ref('excluded.lms_last_updated_at'),
        modified: eb.ref('excluded.modified'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  patch: Partial<GradeFields>,
  now: Date,
): Promise<GradeRow> {
  return db
    .updateTable('credential_grades')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function gradesOf(db: Executor, learnerUuid: string, runKeys?: string[]): Promise<GradeRow[]> {
  if (runKeys && runKeys.length === 0) return [];
  let q = db.selectFrom('credential_grades').selectAll().where('learner_uuid', '=', learnerUuid);
  if (runKeys) q = q.where('course_run_key', 'in', runKeys);
  return q.orderBy('created').execute();
}
