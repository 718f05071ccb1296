import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import type { ActionRow, LearnerContentAssignmentActionsTable } from './schema.js';

/** Many actions in one statement. */
export async function insertMany(
  db: Executor,
  rows: Array<Insertable<LearnerContentAssignmentActionsTable>>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('learner_content_assignment_actions').values(rows).execute();
  await refreshSummary(db, [...new Set(rows.map((r) => r.assignment_uuid))]);
}

/**
 * Keeps the summary the admin list filters on in step with the actions, in one statement. Only
 * rows whose summary changes are written: an allocation's pending emails change nothing, and
 * rewriting 1,000 unchanged rows (each firing the change-history trigger) was a third of its time.
 */
async function refreshSummary(db: Executor, uuids: string[]): Promise<void> {
  await sql`
    update learner_content_assignments a set
      notified_ok = s.notified_ok, notified_failed = s.notified_failed, last_reminded_at = s.last_reminded_at
    from (
      select u.uuid,
        exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = u.uuid
          and n.action_type = 'notified' and n.error_reason is null and n.completed_at is not null) as notified_ok,
        exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = u.uuid
          and n.action_type = 'notified' and n.error_reason is not null) as notified_failed,
        (select max(r.completed_at) from learner_content_assignment_actions r
          where r.assignment_uuid = u.uuid and r.action_type = 'reminded' and r.error_reason is null) as last_reminded_at
      from unnest(${uuids}::uuid[]) as u (uuid)
    ) as s
    where a.uuid = s.uuid
      and (a.notified_ok, a.notified_failed, a.last_reminded_at)
        is distinct from (s.notified_ok, s.notified_failed, s.last_reminded_at)`.execute(db);
}

/**
 * Completes an email action that was waiting for its message (completed_at = when SMTP accepted
 * it), or marks it failed with `email_error` and the SMTP error as its traceback. Only a pending
 * action changes, so an outcome heard twice changes nothing.
 */
export async function recordEmailOutcome(
  db: Executor,
  actionUuid: string,
  outcome: { sent: boolean; error: string | null; at: Date },
): Promise<void> {
  const done = await db
    .updateTable('learner_content_assignment_actions')
    .set(
      outcome.sent
        ? { completed_at: outcome.at, modified: outcome.at }
        : {
            error_reason: 'email_error',
            traceback: outcome.error?.slice(0, 4000) ?? null,
            modified: outcome.at,
          },
    )
    .where('uuid', '=', actionUuid)
    .where('completed_at', 'is', null)
    .where('error_reason', 'is', null)
    .returning('assignment_uuid')
    .executeTakeFirst();
  if (done) await refreshSummary(db, [done.assignment_uuid]);
}

/**
 * Which of `assignmentUuids` an admin has had reminded since `since` (the reminder asked for,
 * whether or not SMTP has taken it yet; a reminder that failed does not count).
 */
export async function remindedSince(
  db: Executor,
  assignmentUuids: string[],
  since: Date,
): Promise<Set<string>> {
  if (assignmentUuids.length === 0) return new Set();
  const rows = await db
    .selectFrom('learner_content_assignment_actions')
    .select('assignment_uuid')
    .distinct()
    .where('assignment_uuid', 'in', assignmentUuids)
    .where('action_type', '=', 'reminded')
    .where('error_reason', 'is', null)
    .where('created', '>', since)
    .execute();
  return new Set(rows.map((r) => r.assignment_uuid));
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
