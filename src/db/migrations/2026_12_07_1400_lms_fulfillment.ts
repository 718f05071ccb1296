import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- subsidy: an enrollment the LMS made carries the LMS fulfillment's uuid (the transaction's
    -- fulfillment_identifier); one Campus made itself has none.
    alter table enrollments add column lms_fulfillment_uuid text;

    -- subsidy: the LMS must end an enrollment whose redemption was refunded in Campus. Written in
    -- the refund's transaction, delivered after it by a job that retries until the LMS has done
    -- it, so the money and the LMS agree in the end even when the LMS is down at the time.
    create table lms_cancellations (
      uuid uuid primary key,
      transaction_uuid uuid not null unique references ledger_transactions (uuid),
      fulfillment_uuid text not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      done_at timestamptz,
      last_error text,
      created timestamptz not null,
      modified timestamptz not null
    );
    create index lms_cancellations_due on lms_cancellations (next_attempt_at) where done_at is null;
  `.execute(db);
}
