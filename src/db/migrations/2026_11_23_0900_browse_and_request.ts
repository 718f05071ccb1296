import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- access: a policy's browse-and-request switch (reference LearnerCreditRequestConfiguration).
    -- The policy row points at it while it is active; the row is kept (and reused) when switched off.
    create table learner_credit_request_configurations (
      uuid uuid primary key,
      policy_uuid uuid not null unique references subsidy_access_policies (uuid),
      active boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null
    );

    -- requests: the customer's (legacy license/coupon) browse-and-request settings.
    create table request_customer_configurations (
      enterprise_customer_uuid uuid primary key,
      subsidy_requests_enabled boolean not null default false,
      subsidy_type text check (subsidy_type in ('license', 'coupon', 'learner_credit')),
      changed_by_lms_user_id bigint,
      created timestamptz not null,
      modified timestamptz not null
    );

    -- requests: a learner asks for a course on a policy; approved, it becomes an assignment.
    create table learner_credit_requests (
      uuid uuid primary key,
      lms_user_id bigint not null,
      email text not null,
      enterprise_customer_uuid uuid not null,
      policy_uuid uuid not null references subsidy_access_policies (uuid),
      learner_credit_request_config_uuid uuid not null references learner_credit_request_configurations (uuid),
      course_id text not null,
      course_title text,
      course_partners jsonb,
      course_price bigint not null check (course_price >= 0),
      state text not null default 'requested' check (state in ('requested', 'pending', 'approved', 'declined',
        'error', 'accepted', 'cancelled', 'expired', 'reversed')),
      requested_at timestamptz not null,
      reviewed_at timestamptz,
      reviewer_lms_user_id bigint,
      decline_reason text,
      assignment_uuid uuid unique references learner_content_assignments (uuid),
      -- The newest action, kept on the row so that lists filter and sort on it without a lateral join.
      latest_action_uuid uuid,
      latest_action_type text,
      latest_action_status text,
      latest_action_error_reason text,
      latest_action_time timestamptz,
      learner_request_state text,
      created timestamptz not null,
      modified timestamptz not null,
      check (state = 'requested' or (reviewed_at is not null and reviewer_lms_user_id is not null))
    );
    -- One active request per learner and course in an enterprise (reference unique_learner_course_request).
    create unique index learner_credit_requests_active on learner_credit_requests
      (lms_user_id, enterprise_customer_uuid, course_id)
      where state in ('requested', 'approved', 'error', 'accepted');
    create index learner_credit_requests_customer on learner_credit_requests (enterprise_customer_uuid, created desc);
    create index learner_credit_requests_policy on learner_credit_requests (policy_uuid, state);
    create index learner_credit_requests_learner on learner_credit_requests (lms_user_id, enterprise_customer_uuid);
    create index learner_credit_requests_digest on learner_credit_requests (enterprise_customer_uuid, requested_at)
      where state = 'requested';

    create table learner_credit_request_actions (
      uuid uuid primary key,
      learner_credit_request_uuid uuid not null references learner_credit_requests (uuid) on delete cascade,
      recent_action text not null check (recent_action in ('requested', 'pending', 'approved', 'declined',
        'error', 'accepted', 'cancelled', 'expired', 'reversed', 'reminded')),
      status text not null,
      error_reason text check (error_reason in ('failed_approval', 'failed_decline', 'failed_cancellation',
        'failed_redemption', 'failed_reversal', 'email_error')),
      traceback text,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index learner_credit_request_actions_request on learner_credit_request_actions
      (learner_credit_request_uuid, created);

    -- requests: when each customer's admins were last sent the digest of new requests.
    create table learner_credit_request_digests (
      enterprise_customer_uuid uuid primary key,
      last_remind_date timestamptz not null,
      created timestamptz not null,
      modified timestamptz not null
    );
  `.execute(db);
}
