import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subsidy_access_policies (
      uuid uuid primary key,
      policy_type text not null check (policy_type in (
        'PerLearnerEnrollmentCreditAccessPolicy', 'PerLearnerSpendCreditAccessPolicy', 'AssignedLearnerCreditAccessPolicy')),
      enterprise_customer_uuid uuid not null,
      display_name text,
      description text not null default '',
      active boolean not null default false,
      retired boolean not null default false,
      retired_at timestamptz,
      catalog_uuid uuid not null,
      subsidy_uuid uuid not null references subsidies (uuid),
      access_method text not null default 'direct' check (access_method in ('direct', 'request', 'assigned')),
      spend_limit bigint check (spend_limit is null or spend_limit >= 0),
      per_learner_enrollment_limit integer check (per_learner_enrollment_limit is null or per_learner_enrollment_limit >= 0),
      per_learner_spend_limit bigint check (per_learner_spend_limit is null or per_learner_spend_limit >= 0),
      late_redemption_allowed_until timestamptz,
      assignment_configuration_uuid uuid,
      learner_credit_request_config_uuid uuid,
      created timestamptz not null,
      modified timestamptz not null,
      -- The per-type rules of the reference, in the database as well as in code.
      check (policy_type <> 'PerLearnerEnrollmentCreditAccessPolicy' or per_learner_spend_limit is null),
      check (policy_type <> 'PerLearnerSpendCreditAccessPolicy' or per_learner_enrollment_limit is null),
      check (policy_type <> 'AssignedLearnerCreditAccessPolicy'
        or (spend_limit is not null and per_learner_spend_limit is null and per_learner_enrollment_limit is null
            and access_method = 'assigned'))
    );
    create index subsidy_access_policies_customer on subsidy_access_policies (enterprise_customer_uuid, created desc);
    create index subsidy_access_policies_subsidy on subsidy_access_policies (subsidy_uuid);

    create table policy_group_associations (
      policy_uuid uuid not null references subsidy_access_policies (uuid),
      enterprise_group_uuid uuid not null,
      created timestamptz not null,
      modified timestamptz not null,
      primary key (policy_uuid, enterprise_group_uuid)
    );
    create index policy_group_associations_group on policy_group_associations (enterprise_group_uuid);

    -- Every redeem call, successful or not (docs/decisions/0007-redemption-attempts-audit.md): what
    -- support reads when a learner says "it didn't work".
    create table redemption_attempts (
      uuid uuid primary key,
      policy_uuid uuid not null references subsidy_access_policies (uuid),
      enterprise_customer_uuid uuid not null,
      lms_user_id bigint not null,
      content_key text not null,
      outcome text not null check (outcome in ('redeemed', 'existing', 'refused', 'error')),
      reason text,
      detail text,
      transaction_uuid uuid,
      forced boolean not null default false,
      requested_by_lms_user_id bigint,
      created timestamptz not null
    );
    create index redemption_attempts_policy on redemption_attempts (policy_uuid, created desc);
    create index redemption_attempts_learner on redemption_attempts (lms_user_id, created desc);

    -- Operator-forced redemptions (docs/decisions/0006-forced-redemptions.md): who forced what, and why.
    create table forced_redemptions (
      uuid uuid primary key,
      policy_uuid uuid not null references subsidy_access_policies (uuid),
      lms_user_id bigint not null,
      course_run_key text not null,
      content_price_cents bigint check (content_price_cents is null or content_price_cents >= 0),
      reason text not null,
      forced_by_lms_user_id bigint not null,
      transaction_uuid uuid,
      redeemed_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index forced_redemptions_policy on forced_redemptions (policy_uuid, created desc);
  `.execute(db);
}
