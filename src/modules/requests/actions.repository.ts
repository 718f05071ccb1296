import type { Insertable } from 'kysely';
import type { Executor } from '../../database.js';
import type { LearnerCreditRequestActionsTable, RequestActionRow } from './schema.js';

/** Whether the request was reminded since `since`. */
export async function remindedSince(db: Executor, requestUuid: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('learner_credit_request_actions')
    .select('uuid')
    .where('learner_credit_request_uuid', '=', requestUuid)
    .where('recent_action', '=', 'reminded')
    .where('created', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMany(
  db: Executor,
  rows: Array<Insertable<LearnerCreditRequestActionsTable>>,
): Promise<RequestActionRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('learner_credit_request_actions').values(rows).returningAll().execute();
}
