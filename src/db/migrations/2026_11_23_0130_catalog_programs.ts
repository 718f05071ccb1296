import { type Kysely, sql } from 'kysely';

/** Programs: ordered courses, minus excluded runs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_programs (
      uuid uuid primary key,
      title text not null,
      program_type_uuid uuid not null references catalog_program_types (uuid),
      status text not null default 'unpublished'
        check (status in ('unpublished', 'active', 'retired', 'deleted')),
      marketing_slug text unique,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index catalog_programs_type on catalog_programs (program_type_uuid);

    create table catalog_program_courses (
      program_uuid uuid not null references catalog_programs (uuid) on delete cascade,
      course_uuid uuid not null references catalog_courses (uuid),
      position integer not null,
      primary key (program_uuid, course_uuid)
    );
    create index catalog_program_courses_course on catalog_program_courses (course_uuid);

    create table catalog_program_excluded_runs (
      program_uuid uuid not null references catalog_programs (uuid) on delete cascade,
      course_run_uuid uuid not null references catalog_course_runs (uuid),
      primary key (program_uuid, course_run_uuid)
    );
    create index catalog_program_excluded_runs_run on catalog_program_excluded_runs (course_run_uuid);
  `.execute(db);
}
