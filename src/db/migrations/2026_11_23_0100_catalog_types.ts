import { type Kysely, sql } from 'kysely';

/**
 * The type catalogue of course-discovery (docs/decisions/0010-course-type-catalogue.md): seat
 * types, modes, tracks, run types, course types.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_seat_types (
      slug text primary key,
      name text not null,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table catalog_modes (
      slug text primary key,
      name text not null,
      is_id_verified boolean not null default false,
      is_credit_eligible boolean not null default false,
      certificate_type text,
      payee text check (payee in ('platform', 'organization')),
      created timestamptz not null,
      modified timestamptz not null
    );

    -- A mode with an optional product: a null seat type is an LMS mode sold by nobody (masters).
    create table catalog_tracks (
      uuid uuid primary key,
      mode text not null references catalog_modes (slug),
      seat_type text references catalog_seat_types (slug),
      created timestamptz not null,
      modified timestamptz not null
    );
    create unique index catalog_tracks_pair
      on catalog_tracks (mode, coalesce(seat_type, ''));

    create table catalog_run_types (
      uuid uuid primary key,
      name text not null,
      slug text not null unique,
      is_marketable boolean not null default true,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table catalog_run_type_tracks (
      run_type_uuid uuid not null references catalog_run_types (uuid) on delete cascade,
      track_uuid uuid not null references catalog_tracks (uuid),
      primary key (run_type_uuid, track_uuid)
    );

    create table catalog_course_types (
      uuid uuid primary key,
      name text not null,
      slug text not null unique,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table catalog_course_type_entitlement_types (
      course_type_uuid uuid not null references catalog_course_types (uuid) on delete cascade,
      seat_type text not null references catalog_seat_types (slug),
      primary key (course_type_uuid, seat_type)
    );

    -- Ordered: position is the display order of a course type's run types.
    create table catalog_course_type_run_types (
      course_type_uuid uuid not null references catalog_course_types (uuid) on delete cascade,
      run_type_uuid uuid not null references catalog_run_types (uuid),
      position integer not null,
      primary key (course_type_uuid, run_type_uuid),
      unique (course_type_uuid, position)
    );

    create table catalog_program_types (
      uuid uuid primary key,
      name text not null,
      slug text not null unique,
      coaching_supported boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table catalog_program_type_seat_types (
      program_type_uuid uuid not null references catalog_program_types (uuid) on delete cascade,
      seat_type text not null references catalog_seat_types (slug),
      primary key (program_type_uuid, seat_type)
    );
  `.execute(db);
}
