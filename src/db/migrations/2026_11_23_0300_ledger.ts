import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledgers (
      uuid uuid primary key,
      idempotency_key text not null unique,
      unit text not null default 'usd_cents' check (unit in ('usd_cents', 'seats')),
      -- Running balances, updated in the same transaction as every entry that changes them, under
      -- a row lock on this row. balance counts reservations (created and pending spends);
      -- committed_balance counts only committed entries. ledger verify recomputes both.
      balance_cents bigint not null default 0 check (balance_cents >= 0),
      committed_balance_cents bigint not null default 0,
      total_deposits_cents bigint not null default 0,
      metadata jsonb,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table sales_contract_reference_providers (
      slug text primary key,
      name text not null,
      created timestamptz not null,
      modified timestamptz not null
    );
    insert into sales_contract_reference_providers (slug, name, created, modified)
    values ('salesforce_opportunity_line_item', 'Salesforce Opportunity Line Item', now(), now());

    create table ledger_transactions (
      uuid uuid primary key,
      ledger_uuid uuid not null references ledgers (uuid),
      idempotency_key text not null,
      -- What the key stands for: a retry must carry the same one, or it is a conflict.
      fingerprint text not null,
      kind text not null check (kind in ('spend', 'deposit', 'adjustment')),
      quantity bigint not null,
      state text not null check (state in ('created', 'pending', 'committed', 'failed')),
      lms_user_id bigint,
      lms_user_email text,
      content_key text,
      parent_content_key text,
      content_title text,
      course_run_start_date timestamptz,
      fulfillment_identifier text,
      subsidy_access_policy_uuid uuid,
      metadata jsonb,
      created timestamptz not null,
      modified timestamptz not null,
      unique (ledger_uuid, idempotency_key),
      check ((kind = 'spend') or (state = 'committed')),
      check ((kind <> 'deposit') or (quantity > 0))
    );
    create index ledger_transactions_learner_content on ledger_transactions (ledger_uuid, lms_user_id, content_key);
    create index ledger_transactions_content on ledger_transactions (ledger_uuid, content_key);
    create index ledger_transactions_policy on ledger_transactions (ledger_uuid, subsidy_access_policy_uuid);
    create index ledger_transactions_ledger_created on ledger_transactions (ledger_uuid, created desc);
    -- The stale-transaction sweeper looks only at unfinished rows.
    create index ledger_transactions_unfinished on ledger_transactions (created)
      where state in ('created', 'pending');

    create table ledger_reversals (
      uuid uuid primary key,
      -- At most one reversal per transaction, and always a full one.
      transaction_uuid uuid not null unique references ledger_transactions (uuid),
      idempotency_key text not null,
      quantity bigint not null,
      state text not null default 'committed' check (state = 'committed'),
      metadata jsonb,
      created timestamptz not null,
      modified timestamptz not null
    );

    create table ledger_deposits (
      uuid uuid primary key,
      ledger_uuid uuid not null references ledgers (uuid),
      transaction_uuid uuid not null unique references ledger_transactions (uuid),
      desired_deposit_quantity bigint not null,
      sales_contract_reference_id text,
      sales_contract_reference_provider text references sales_contract_reference_providers (slug),
      created timestamptz not null,
      modified timestamptz not null
    );
    create index ledger_deposits_ledger on ledger_deposits (ledger_uuid);

    create table ledger_adjustments (
      uuid uuid primary key,
      ledger_uuid uuid not null references ledgers (uuid),
      transaction_uuid uuid not null unique references ledger_transactions (uuid),
      adjustment_quantity bigint not null,
      reason text not null check (reason in ('unauthorized_enrollment', 'poor_content_fit',
        'technical_challenges', 'missed_refund_or_date', 'good_faith')),
      notes text,
      transaction_of_interest_uuid uuid references ledger_transactions (uuid),
      created timestamptz not null,
      modified timestamptz not null
    );
    create index ledger_adjustments_ledger on ledger_adjustments (ledger_uuid);
  `.execute(db);
}
