import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- What the admin list derives learner_state and recent_action from, kept on the assignment
    -- row (updated in the same statement batch as every action insert) instead of being
    -- recomputed from the actions table for every row of every list request.
    alter table learner_content_assignments
      add column notified_ok boolean not null default false,
      add column notified_failed boolean not null default false,
      add column last_reminded_at timestamptz;
    update learner_content_assignments a set
      notified_ok = exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = a.uuid
        and n.action_type = 'notified' and n.error_reason is null and n.completed_at is not null),
      notified_failed = exists (select 1 from learner_content_assignment_actions n where n.assignment_uuid = a.uuid
        and n.action_type = 'notified' and n.error_reason is not null),
      last_reminded_at = (select max(r.completed_at) from learner_content_assignment_actions r
        where r.assignment_uuid = a.uuid and r.action_type = 'reminded' and r.error_reason is null);
  `.execute(db);
}
