import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The admin portal's redemption table pages a policy's committed spends newest first and shows
    -- their count. Both grew with the ledger: the page sorted every transaction of the policy, the
    -- count counted them. The page is now a range scan of this index, and the count comes from
    -- appended change rows (db/appended-counts.ts), as the assignment list's does.
    create index ledger_transactions_policy_created
      on ledger_transactions (ledger_uuid, subsidy_access_policy_uuid, created desc, uuid);
    drop index ledger_transactions_policy;

    create table ledger_transaction_counts (
      ledger_uuid uuid not null,
      policy_uuid uuid,
      kind text not null,
      state text not null,
      n bigint not null
    );
    create index ledger_transaction_counts_key on ledger_transaction_counts (ledger_uuid, policy_uuid);
    insert into ledger_transaction_counts (ledger_uuid, policy_uuid, kind, state, n)
      select ledger_uuid, subsidy_access_policy_uuid, kind, state, count(*) from ledger_transactions group by 1, 2, 3, 4;

    create function count_ledger_transactions() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into ledger_transaction_counts (ledger_uuid, policy_uuid, kind, state, n)
          select ledger_uuid, subsidy_access_policy_uuid, kind, state, count(*) from new_rows group by 1, 2, 3, 4;
      elsif tg_op = 'DELETE' then
        insert into ledger_transaction_counts (ledger_uuid, policy_uuid, kind, state, n)
          select ledger_uuid, subsidy_access_policy_uuid, kind, state, -count(*) from old_rows group by 1, 2, 3, 4;
      else
        -- A change of state (or of another counted column) moves a count; any other update nets to nothing.
        insert into ledger_transaction_counts (ledger_uuid, policy_uuid, kind, state, n)
          select l, p, k, s, sum(d) from (
            select ledger_uuid, subsidy_access_policy_uuid, kind, state, 1 from new_rows
            union all
            select ledger_uuid, subsidy_access_policy_uuid, kind, state, -1 from old_rows
          ) as change (l, p, k, s, d)
          group by l, p, k, s having sum(d) <> 0;
      end if;
      return null;
    end $$;
    -- One trigger per event: PostgreSQL gives transition tables only to single-event triggers.
    create trigger ledger_transactions_count_insert after insert on ledger_transactions
      referencing new table as new_rows for each statement execute function count_ledger_transactions();
    create trigger ledger_transactions_count_update after update on ledger_transactions
      referencing old table as old_rows new table as new_rows for each statement execute function count_ledger_transactions();
    create trigger ledger_transactions_count_delete after delete on ledger_transactions
      referencing old table as old_rows for each statement execute function count_ledger_transactions();
  `.execute(db);
}
