import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subsidies (
      uuid uuid primary key,
      title text,
      enterprise_customer_uuid uuid not null,
      ledger_uuid uuid not null unique references ledgers (uuid),
      unit text not null default 'usd_cents' check (unit in ('usd_cents', 'seats')),
      starting_balance_cents bigint not null check (starting_balance_cents >= 0),
      reference_id text,
      reference_type text not null default 'salesforce_opportunity_line_item',
      internal_only boolean not null default false,
      revenue_category text not null default 'bulk-enrollment-prepay'
        check (revenue_category in ('bulk-enrollment-prepay', 'partner-no-rev-prepay')),
      active_datetime timestamptz,
      expiration_datetime timestamptz,
      is_soft_deleted boolean not null default false,
      created timestamptz not null,
      modified timestamptz not null,
      check (expiration_datetime is null or active_datetime is null or active_datetime <= expiration_datetime)
    );
    create index subsidies_customer on subsidies (enterprise_customer_uuid) where not is_soft_deleted;
    -- One customer-facing subsidy per sales contract line; internal and deleted ones may repeat it.
    create unique index subsidies_reference on subsidies (reference_id, reference_type)
      where not internal_only and not is_soft_deleted and reference_id is not null;

    -- The LMS's part: the enrollment each committed redemption paid for.
    create table enrollments (
      uuid uuid primary key,
      lms_user_id bigint not null,
      enterprise_customer_uuid uuid not null,
      subsidy_uuid uuid not null references subsidies (uuid),
      transaction_uuid uuid not null unique references ledger_transactions (uuid),
      course_run_key text not null,
      course_key text not null,
      mode text not null,
      is_active boolean not null default true,
      unenrolled_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index enrollments_learner on enrollments (lms_user_id, course_run_key);
    create index enrollments_customer on enrollments (enterprise_customer_uuid, created desc);
  `.execute(db);
}
