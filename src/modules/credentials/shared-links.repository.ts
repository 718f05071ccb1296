import type { Executor } from '../../database.js';
import type { SharedLinkRow } from './schema.js';

export async function getByUuid(db: Executor, uuid: string): Promise<SharedLinkRow | undefined> {
  return db.selectFrom('program_shared_links').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function get(
  db: Executor,
  learnerUuid: string,
  programUuid: string,
): Promise<SharedLinkRow | undefined> {
  return db
    .selectFrom('program_shared_links')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('program_uuid', '=', programUuid)
    .executeTakeFirst();
}

/** Inserts the link unless the learner already shared this program; returns the new row or nothing. */
export async function insertOnce(
  db: Executor,
  row: { uuid: string; learner_uuid: string; program_uuid: string; now: Date },
): Promise<SharedLinkRow | undefined> {
  return db
    .insertInto('program_shared_links')
    .values({
      uuid: row.uuid,
      learner_uuid: row.learner_uuid,
      program_uuid: row.program_uuid,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) => oc.columns(['learner_uuid', 'program_uuid']).doNothing())
    .returningAll()
    .executeTakeFirst();
}
