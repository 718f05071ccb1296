import { type Kysely, sql } from 'kysely';

/** Organizations, courses with their entitlements, course runs with their seats. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_organizations (
      uuid uuid primary key,
      key text not null unique,
      name text not null,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table catalog_courses (
      uuid uuid primary key,
      -- ORG+NUMBER; never changes (docs/decisions/0011-course-keys-never-change.md).
      key text not null unique,
      key_for_reruns text,
      number text not null,
      title text not null,
      org_uuid uuid not null references catalog_organizations (uuid),
      course_type_uuid uuid not null references catalog_course_types (uuid),
      status text not null default 'unpublished'
        check (status in ('unpublished', 'reviewed', 'published')),
      -- Set once the course first reaches reviewed; from then on entitlement types may only widen.
      reviewed_once boolean not null default false,
      short_description text,
      full_description text,
      product_source text,
      created timestamptz not null,
      modified timestamptz not null
    );
    -- The q filter (ilike on title and key) and the course_type filter.
    create index catalog_courses_lower_key on catalog_courses (lower(key) text_pattern_ops);
    create index catalog_courses_lower_title on catalog_courses (lower(title) text_pattern_ops);
    create index catalog_courses_type on catalog_courses (course_type_uuid);

    create table catalog_entitlements (
      uuid uuid primary key,
      course_uuid uuid not null references catalog_courses (uuid) on delete cascade,
      mode text not null references catalog_seat_types (slug),
      price_cents bigint not null default 0 check (price_cents >= 0),
      currency text not null default 'USD',
      sku text,
      created timestamptz not null,
      modified timestamptz not null,
      unique (course_uuid, mode)
    );

    create table catalog_course_runs (
      uuid uuid primary key,
      key text not null unique,
      course_uuid uuid not null references catalog_courses (uuid),
      run_type_uuid uuid not null references catalog_run_types (uuid),
      title_override text,
      start timestamptz not null,
      "end" timestamptz,
      enrollment_start timestamptz,
      enrollment_end timestamptz,
      pacing_type text not null default 'instructor_paced'
        check (pacing_type in ('instructor_paced', 'self_paced')),
      status text not null default 'unpublished'
        check (status in ('unpublished', 'review_by_legal', 'review_by_internal', 'reviewed', 'published')),
      -- Set once the run first reaches reviewed; from then on seat types may only widen.
      reviewed_once boolean not null default false,
      hidden boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null,
      check ("end" is null or start <= "end")
    );
    create index catalog_course_runs_course on catalog_course_runs (course_uuid, start);
    create index catalog_course_runs_lower_key on catalog_course_runs (lower(key));

    create table catalog_seats (
      uuid uuid primary key,
      course_run_uuid uuid not null references catalog_course_runs (uuid) on delete cascade,
      seat_type text not null references catalog_seat_types (slug),
      price_cents bigint not null default 0 check (price_cents >= 0),
      currency text not null default 'USD',
      upgrade_deadline timestamptz,
      upgrade_deadline_override timestamptz,
      credit_provider text,
      credit_hours integer,
      sku text,
      bulk_sku text,
      created timestamptz not null,
      modified timestamptz not null,
      unique (course_run_uuid, seat_type)
    );
  `.execute(db);
}
