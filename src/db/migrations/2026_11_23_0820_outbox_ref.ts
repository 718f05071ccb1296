import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- What a message reports on (e.g. "assignment-action:<uuid>"), so that its delivery outcome
    -- can be written back to the record that caused it once SMTP accepts or finally refuses it.
    alter table outbox add column ref text;
    create index outbox_ref_idx on outbox (ref) where ref is not null;
  `.execute(db);
}
