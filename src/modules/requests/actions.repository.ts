import type { Insertable } from 'kysely';
import type { Executor } from '../../db/db.js';
import type { LearnerCreditRequestActionsTable, RequestActionRow } from './schema.js';

export async function insertMany(
  db: Executor,
  rows: Array<Insertable<LearnerCreditRequestActionsTable>>,
): Promise<RequestActionRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('learner_credit_request_actions').values(rows).returningAll().execute();
}
