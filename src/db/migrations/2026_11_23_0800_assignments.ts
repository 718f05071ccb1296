import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assignment_configurations (
      uuid uuid primary key,
      enterprise_customer_uuid uuid not null,
      active boolean not null default true,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index assignment_configurations_customer on assignment_configurations (enterprise_customer_uuid, active);

    create table learner_content_assignments (
      uuid uuid primary key,
      assignment_configuration_uuid uuid not null references assignment_configurations (uuid),
      learner_email text not null,
      lms_user_id bigint,
      content_key text not null,
      parent_content_key text,
      is_assigned_course_run boolean not null default false,
      content_title text,
      -- The cost in cents, stored negative as the reference does (a debit set aside).
      content_quantity bigint not null check (content_quantity <= 0),
      preferred_course_run_key text,
      state text not null default 'allocated'
        check (state in ('allocated', 'accepted', 'cancelled', 'errored', 'expired', 'reversed')),
      allocated_at timestamptz not null,
      accepted_at timestamptz,
      cancelled_at timestamptz,
      expired_at timestamptz,
      errored_at timestamptz,
      reversed_at timestamptz,
      transaction_uuid uuid,
      allocation_batch_id uuid,
      admin_lms_user_id bigint,
      learner_acknowledged boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null,
      check (is_assigned_course_run = (parent_content_key is not null)),
      check (state <> 'accepted' or transaction_uuid is not null)
    );
    -- One row per (configuration, learner, content), reused through the whole lifecycle.
    create unique index learner_content_assignments_email
      on learner_content_assignments (assignment_configuration_uuid, lower(learner_email), content_key);
    create unique index learner_content_assignments_learner
      on learner_content_assignments (assignment_configuration_uuid, lms_user_id, content_key)
      where lms_user_id is not null;
    create index learner_content_assignments_state
      on learner_content_assignments (assignment_configuration_uuid, state);
    create index learner_content_assignments_lms_user on learner_content_assignments (lms_user_id);
    create index learner_content_assignments_transaction on learner_content_assignments (transaction_uuid);

    create table learner_content_assignment_actions (
      uuid uuid primary key,
      assignment_uuid uuid not null references learner_content_assignments (uuid) on delete cascade,
      action_type text not null check (action_type in ('learner_linked', 'notified', 'reminded', 'redeemed',
        'cancelled', 'cancelled_acknowledged', 'expired', 'expired_acknowledged', 'reversed')),
      completed_at timestamptz,
      error_reason text check (error_reason in ('email_error', 'internal_api_error', 'enrollment_error')),
      traceback text,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index learner_content_assignment_actions_assignment
      on learner_content_assignment_actions (assignment_uuid, action_type, created);
  `.execute(db);
}
