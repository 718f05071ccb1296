import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The admin list filters on learner_state and sorts on recent_action_time. Computed in the
    -- query, neither could use an index, so every page read and sorted the whole configuration
    -- (1 request/s at 1,000,000 assignments). As stored columns kept by the database they are
    -- indexed, and the first page is a range scan of the index whatever the table's size.
    alter table learner_content_assignments
      add column learner_state text generated always as (case
        when state = 'allocated' and notified_ok then 'waiting'
        when state = 'allocated' and notified_failed then 'failed'
        when state = 'allocated' then 'notifying'
        when state = 'expired' then 'expired'
        when state = 'errored' then 'failed'
      end) stored,
      -- greatest() skips a null: no reminder yet means the allocation is the recent action.
      add column recent_action_time timestamptz generated always as (greatest(allocated_at, last_reminded_at)) stored;
    -- Default order (newest action first) with any filter; the second serves one learner_state.
    create index learner_content_assignments_recent
      on learner_content_assignments (assignment_configuration_uuid, recent_action_time desc, created desc, uuid);
    create index learner_content_assignments_learner_state
      on learner_content_assignments
      (assignment_configuration_uuid, learner_state, recent_action_time desc, created desc, uuid);

    -- How many assignments of a configuration are in each (state, learner_state): the list's
    -- count and learner_state_counts, read without counting 200,000 rows. Each writing statement
    -- appends its net change as rows (never updates one), so concurrent writers take no lock on
    -- a shared counter and cannot deadlock on it; a reader sums, and folds the rows of a
    -- configuration into one per key when they pile up (assignments/state-counts.repository.ts).
    create table assignment_state_counts (
      assignment_configuration_uuid uuid not null,
      state text not null,
      learner_state text,
      n bigint not null
    );
    create index assignment_state_counts_key on assignment_state_counts (assignment_configuration_uuid, state, learner_state);
    insert into assignment_state_counts (assignment_configuration_uuid, state, learner_state, n)
      select assignment_configuration_uuid, state, learner_state, count(*)
        from learner_content_assignments group by 1, 2, 3;

    create function count_assignment_states() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into assignment_state_counts (assignment_configuration_uuid, state, learner_state, n)
          select assignment_configuration_uuid, state, learner_state, count(*) from new_rows group by 1, 2, 3;
      elsif tg_op = 'DELETE' then
        insert into assignment_state_counts (assignment_configuration_uuid, state, learner_state, n)
          select assignment_configuration_uuid, state, learner_state, -count(*) from old_rows group by 1, 2, 3;
      else
        -- An update that changes no (configuration, state, learner_state) nets to nothing and
        -- writes nothing (the notification summary is refreshed on rows that did not change).
        insert into assignment_state_counts (assignment_configuration_uuid, state, learner_state, n)
          select c, s, l, sum(d) from (
            select assignment_configuration_uuid, state, learner_state, 1 from new_rows
            union all
            select assignment_configuration_uuid, state, learner_state, -1 from old_rows
          ) as change (c, s, l, d)
          group by c, s, l having sum(d) <> 0;
      end if;
      return null;
    end $$;
    -- One trigger per event: PostgreSQL gives transition tables only to single-event triggers.
    create trigger learner_content_assignments_count_insert after insert on learner_content_assignments
      referencing new table as new_rows for each statement execute function count_assignment_states();
    create trigger learner_content_assignments_count_update after update on learner_content_assignments
      referencing old table as old_rows new table as new_rows for each statement execute function count_assignment_states();
    create trigger learner_content_assignments_count_delete after delete on learner_content_assignments
      referencing old table as old_rows for each statement execute function count_assignment_states();
  `.execute(db);
}
