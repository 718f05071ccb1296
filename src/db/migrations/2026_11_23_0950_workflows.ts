import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A multi-step process (docs/decisions/0009-workflow-steps-get-or-create.md): one row per run
    -- of a recipe, with its input, its output once every step succeeded, and where and why it last
    -- stopped.
    create table workflows (
      uuid uuid primary key,
      type text not null,
      -- Concurrent starts with the same key (e.g. "provision:<slug>") converge on one row.
      key text unique,
      state text not null check (state in ('running', 'succeeded', 'failed')),
      input jsonb not null,
      output jsonb,
      error_message text,
      failed_step_id text,
      attempts integer not null default 0,
      created_by_lms_user_id bigint,
      started_at timestamptz,
      succeeded_at timestamptz,
      failed_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index workflows_type_state on workflows (type, state, created);

    -- The steps of a workflow, written with their input when the workflow is created, so that a
    -- retry runs a failed step with the input it was first given.
    create table workflow_steps (
      uuid uuid primary key,
      workflow_uuid uuid not null references workflows (uuid),
      position integer not null,
      step_id text not null,
      state text not null check (state in ('pending', 'succeeded', 'failed')),
      input jsonb not null,
      output jsonb,
      error_message text,
      attempts integer not null default 0,
      started_at timestamptz,
      succeeded_at timestamptz,
      failed_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null,
      unique (workflow_uuid, step_id),
      unique (workflow_uuid, position)
    );
  `.execute(db);
}
