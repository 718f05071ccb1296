import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      uuid uuid primary key,
      idempotency_key text unique,
      template text not null,
      to_address text not null,
      reply_to text,
      context jsonb not null,
      subject text not null,
      text_body text not null,
      html_body text not null,
      status text not null default 'pending'
        check (status in ('pending', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      claimed_until timestamptz,
      last_error text,
      sent_at timestamptz,
      created timestamptz not null,
      modified timestamptz not null
    );
    -- The delivery worker's claim query: due pending rows, oldest first.
    create index outbox_due on outbox (next_attempt_at) where status in ('pending', 'sending');
    create index outbox_created on outbox (created desc);
  `.execute(db);
}
