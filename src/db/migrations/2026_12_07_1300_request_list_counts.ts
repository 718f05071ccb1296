import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The admin portal's request tab pages a policy's requests in the tab's states newest first
    -- and shows their count; its overview counts the policy's requests by state. Each sorted or
    -- counted every request of the policy. Now the first page is a range scan of one of these
    -- indexes (the tab's own states; a single state; any other list of states, which in practice
    -- includes the accepted requests that make most of a policy), and the counts come from
    -- appended change rows (db/appended-counts.ts), as the assignment list's do.
    create index learner_credit_requests_policy_created
      on learner_credit_requests (policy_uuid, created desc, uuid);
    create index learner_credit_requests_policy_tab
      on learner_credit_requests (policy_uuid, created desc, uuid)
      where state in ('requested', 'declined', 'cancelled', 'error');
    create index learner_credit_requests_policy_state
      on learner_credit_requests (policy_uuid, state, created desc, uuid);
    drop index learner_credit_requests_policy;

    create table learner_credit_request_counts (
      enterprise_customer_uuid uuid not null,
      policy_uuid uuid not null,
      state text not null,
      learner_request_state text,
      latest_action_status text,
      n bigint not null
    );
    create index learner_credit_request_counts_key on learner_credit_request_counts (enterprise_customer_uuid);
    insert into learner_credit_request_counts
        (enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, n)
      select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, count(*)
        from learner_credit_requests group by 1, 2, 3, 4, 5;

    create function count_learner_credit_requests() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into learner_credit_request_counts
            (enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, n)
          select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, count(*)
            from new_rows group by 1, 2, 3, 4, 5;
      elsif tg_op = 'DELETE' then
        insert into learner_credit_request_counts
            (enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, n)
          select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, -count(*)
            from old_rows group by 1, 2, 3, 4, 5;
      else
        -- A change of a counted column moves a count; any other update nets to nothing.
        insert into learner_credit_request_counts
            (enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, n)
          select c, p, s, l, a, sum(d) from (
            select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, 1
              from new_rows
            union all
            select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, -1
              from old_rows
          ) as change (c, p, s, l, a, d)
          group by c, p, s, l, a having sum(d) <> 0;
      end if;
      return null;
    end $$;
    -- One trigger per event: PostgreSQL gives transition tables only to single-event triggers.
    create trigger learner_credit_requests_count_insert after insert on learner_credit_requests
      referencing new table as new_rows for each statement execute function count_learner_credit_requests();
    create trigger learner_credit_requests_count_update after update on learner_credit_requests
      referencing old table as old_rows new table as new_rows for each statement execute function count_learner_credit_requests();
    create trigger learner_credit_requests_count_delete after delete on learner_credit_requests
      referencing old table as old_rows for each statement execute function count_learner_credit_requests();
  `.execute(db);
}
