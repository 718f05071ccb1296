import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../db/db.js';
import type { ActionRow, LearnerContentAssignmentActionsTable } from './schema.js';

/** Many actions in one statement. */
export async function insertMany(
  db: Executor,
  rows: Array<Insertable<LearnerContentAssignmentActionsTable>>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('learner_content_assignment_actions').values(rows).execute();
  // Keep the summary the admin list filters on in step with the actions, in one statement.
  const uuids = [...new Set(rows.map((r) => r.assignment_uuid))];
  await sql`
    update learner_content_assignments a set
      notified_ok = exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = a.uuid
        and n.action_type = 'notified' and n.error_reason is null and n.completed_at is not null),
      notified_failed = exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = a.uuid
        and n.action_type = 'notified' and n.error_reason is not null),
      last_reminded_at = (select max(r.completed_at) from learner_content_assignment_actions r
        where r.assignment_uuid = a.uuid and r.action_type = 'reminded' and r.error_reason is null)
    where a.uuid = any(${uuids}::uuid[])`.execute(db);
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
