import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Spend per (ledger, policy) and per (ledger, policy, learner), kept in the same transaction as
    -- every spend, failure and reversal (under the ledger row lock), so that spend limits are
    -- checked with one indexed read instead of a sum over history. spent_cents counts live spends
    -- (created, pending, committed, not reversed); redemptions counts them.
    create table ledger_policy_totals (
      ledger_uuid uuid not null references ledgers (uuid),
      policy_uuid uuid not null,
      spent_cents bigint not null default 0 check (spent_cents >= 0),
      redemptions integer not null default 0 check (redemptions >= 0),
      modified timestamptz not null,
      primary key (ledger_uuid, policy_uuid)
    );
    create table ledger_policy_learner_totals (
      ledger_uuid uuid not null references ledgers (uuid),
      policy_uuid uuid not null,
      lms_user_id bigint not null,
      spent_cents bigint not null default 0 check (spent_cents >= 0),
      redemptions integer not null default 0 check (redemptions >= 0),
      modified timestamptz not null,
      primary key (ledger_uuid, policy_uuid, lms_user_id)
    );
  `.execute(db);
}
