import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table enterprise_customers (
      uuid uuid primary key,
      name text not null,
      slug text not null unique,
      active boolean not null default true,
      country text,
      contact_email text,
      auth_org_id text,
      enable_data_sharing_consent boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null
    );

    -- The local record of an LMS user: created on first sight of a verified token, or by the API.
    create table enterprise_learners (
      lms_user_id bigint primary key,
      username text not null,
      email text,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index enterprise_learners_email on enterprise_learners (lower(email));

    -- Deactivated, never deleted: active = false keeps the history of who belonged.
    create table enterprise_memberships (
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      lms_user_id bigint not null references enterprise_learners (lms_user_id),
      active boolean not null default true,
      linked timestamptz not null,
      created timestamptz not null,
      modified timestamptz not null,
      primary key (enterprise_customer_uuid, lms_user_id)
    );
    create index enterprise_memberships_learner on enterprise_memberships (lms_user_id);

    -- People invited by email who have no learner record yet; the row goes once it is linked.
    create table enterprise_pending_memberships (
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      email text not null check (email = lower(email)),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (enterprise_customer_uuid, email)
    );
    create index enterprise_pending_memberships_email on enterprise_pending_memberships (email);

    -- The customer's administrators (contacts); authorization itself comes from the token's roles.
    create table enterprise_admins (
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      lms_user_id bigint not null references enterprise_learners (lms_user_id),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (enterprise_customer_uuid, lms_user_id)
    );
    create index enterprise_admins_learner on enterprise_admins (lms_user_id);

    create table enterprise_pending_admins (
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      email text not null check (email = lower(email)),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (enterprise_customer_uuid, email)
    );
    create index enterprise_pending_admins_email on enterprise_pending_admins (email);

    create table enterprise_catalogs (
      uuid uuid primary key,
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      title text not null,
      content_filter jsonb not null,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index enterprise_catalogs_customer on enterprise_catalogs (enterprise_customer_uuid);

    create table enterprise_groups (
      uuid uuid primary key,
      enterprise_customer_uuid uuid not null references enterprise_customers (uuid),
      name text not null,
      created timestamptz not null,
      modified timestamptz not null,
      unique (enterprise_customer_uuid, name)
    );

    create table enterprise_group_members (
      group_uuid uuid not null references enterprise_groups (uuid) on delete cascade,
      lms_user_id bigint not null references enterprise_learners (lms_user_id),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (group_uuid, lms_user_id)
    );
    create index enterprise_group_members_learner on enterprise_group_members (lms_user_id);

    create table enterprise_pending_group_members (
      group_uuid uuid not null references enterprise_groups (uuid) on delete cascade,
      email text not null check (email = lower(email)),
      created timestamptz not null,
      modified timestamptz not null,
      primary key (group_uuid, email)
    );
    create index enterprise_pending_group_members_email on enterprise_pending_group_members (email);
  `.execute(db);
}
