import type { Insertable } from 'kysely';
import type { Executor } from '../../db/db.js';
import type { ActionRow, LearnerContentAssignmentActionsTable } from './schema.js';

/** Many actions in one statement. */
export async function insertMany(
  db: Executor,
  rows: Array<Insertable<LearnerContentAssignmentActionsTable>>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('learner_content_assignment_actions').values(rows).execute();
}

/** The actions of many assignments, oldest first. */
export async function ofAssignments(db: Executor, assignmentUuids: string[]): Promise<ActionRow[]> {
  if (assignmentUuids.length === 0) return [];
  return db
    .selectFrom('learner_content_assignment_actions')
    .selectAll()
    .where('assignment_uuid', 'in', assignmentUuids)
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}
