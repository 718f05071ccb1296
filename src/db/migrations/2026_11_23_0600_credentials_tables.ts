import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Learners as credentials knows them: the stable lms_user_id and the (renamable) username are
    -- both stored, and every other table points at this row rather than at a username string.
    create table credential_learners (
      uuid uuid primary key,
      lms_user_id bigint unique,
      username text not null unique,
      full_name text,
      email text,
      created timestamptz not null,
      modified timestamptz not null
    );

    -- The certificate template of a course run: one per run (course-run credentials are unique per
    -- learner and run).
    create table course_certificate_configs (
      uuid uuid primary key,
      course_run_key text not null unique,
      certificate_type text not null
        check (certificate_type in ('honor', 'verified', 'professional', 'no-id-professional', 'masters',
                                    'audit', 'credit', 'executive-education')),
      certificate_available_date timestamptz,
      is_active boolean not null default true,
      created timestamptz not null,
      modified timestamptz not null
    );

    -- A certificate a learner holds: one row per learner and course run, or per learner and program.
    -- Revoking flips the status; rows are never deleted.
    create table user_credentials (
      uuid uuid primary key,
      learner_uuid uuid not null references credential_learners (uuid),
      credential_type text not null check (credential_type in ('course-run', 'program')),
      course_run_key text references course_certificate_configs (course_run_key),
      mode text,
      program_uuid uuid,
      status text not null default 'awarded' check (status in ('awarded', 'revoked')),
      -- When the status last became awarded: the fallback of the issue and visible dates.
      awarded_at timestamptz not null,
      date_override timestamptz,
      created timestamptz not null,
      modified timestamptz not null,
      unique (learner_uuid, course_run_key),
      unique (learner_uuid, program_uuid),
      check (
        (credential_type = 'course-run' and course_run_key is not null and mode is not null and program_uuid is null)
        or (credential_type = 'program' and program_uuid is not null and course_run_key is null)
      )
    );
    create index user_credentials_program on user_credentials (program_uuid) where program_uuid is not null;

    create table user_credential_attributes (
      user_credential_uuid uuid not null references user_credentials (uuid),
      name text not null check (length(name) between 1 and 255),
      value text not null check (length(value) <= 255),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (user_credential_uuid, name)
    );

    create table credential_grades (
      uuid uuid primary key,
      learner_uuid uuid not null references credential_learners (uuid),
      course_run_key text not null,
      letter_grade text not null default '',
      percent_grade numeric(5, 4) not null check (percent_grade >= 0),
      verified boolean not null default true,
      lms_last_updated_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null,
      unique (learner_uuid, course_run_key)
    );

    create table credit_pathways (
      uuid uuid primary key,
      name text not null,
      org_name text not null default '',
      email text not null default '',
      destination_url text,
      description text,
      pathway_type text not null default 'credit' check (pathway_type in ('credit', 'industry')),
      status text not null default 'published' check (status in ('unpublished', 'published', 'retired')),
      created timestamptz not null,
      modified timestamptz not null
    );

    create table credit_pathway_programs (
      pathway_uuid uuid not null references credit_pathways (uuid) on delete cascade,
      program_uuid uuid not null,
      position integer not null,
      primary key (pathway_uuid, program_uuid)
    );
    create index credit_pathway_programs_program on credit_pathway_programs (program_uuid);

    -- UserCreditPathway: one row per (learner, pathway, program); a legacy row has no program.
    -- Each request is counted and kept in credit_request_sends.
    create table credit_requests (
      uuid uuid primary key,
      learner_uuid uuid not null references credential_learners (uuid),
      pathway_uuid uuid not null references credit_pathways (uuid),
      program_uuid uuid,
      status text not null default 'sent' check (status in ('sent', '')),
      request_count integer not null default 0,
      last_sent timestamptz,
      created timestamptz not null,
      modified timestamptz not null,
      unique nulls not distinct (learner_uuid, pathway_uuid, program_uuid)
    );

    create table credit_request_sends (
      uuid uuid primary key,
      credit_request_uuid uuid not null references credit_requests (uuid),
      outbox_uuid uuid not null,
      sent_at timestamptz not null,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index credit_request_sends_request on credit_request_sends (credit_request_uuid, sent_at);

    -- ProgramCertRecord: exists only once a learner shared a program record (or sent it).
    create table program_shared_links (
      uuid uuid primary key,
      learner_uuid uuid not null references credential_learners (uuid),
      program_uuid uuid not null,
      created timestamptz not null,
      modified timestamptz not null,
      unique (learner_uuid, program_uuid)
    );

    -- Facts for a later publisher (webhooks, an event bus): appended in the transaction that made them true.
    create table domain_events (
      uuid uuid primary key,
      event_type text not null,
      aggregate_uuid uuid not null,
      payload jsonb not null,
      occurred_at timestamptz not null,
      published_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index domain_events_unpublished on domain_events (occurred_at) where published_at is null;
    create index domain_events_aggregate on domain_events (aggregate_uuid, occurred_at);
  `.execute(db);
}
