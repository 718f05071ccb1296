import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Who changed what, when and why, for the records people are accountable for: written by a
    -- trigger, so no code path can change them without leaving a row. Who and why come from the
    -- transaction's settings (campus.actor, campus.reason; Db.transaction sets them from the
    -- caller's audit scope); a change made outside any scope is attributed to "system".
    create table change_history (
      id bigserial primary key,
      table_name text not null,
      row_uuid uuid not null,
      operation text not null check (operation in ('insert', 'update', 'delete')),
      changed_by text not null,
      reason text,
      changed_at timestamptz not null,
      changes jsonb not null
    );
    create index change_history_row_idx on change_history (table_name, row_uuid, id);

    create function record_change() returns trigger language plpgsql as $$
    declare
      before jsonb := case when tg_op = 'INSERT' then '{}'::jsonb else to_jsonb(old) end;
      after jsonb := case when tg_op = 'DELETE' then '{}'::jsonb else to_jsonb(new) end;
      diff jsonb := '{}'::jsonb;
      k text;
    begin
      for k in select jsonb_object_keys(before || after) loop
        -- Bookkeeping, not changes: the timestamp of the change itself and summaries derived
        -- from other rows (an assignment's notification flags follow its actions).
        continue when k in ('modified', 'notified_ok', 'notified_failed', 'last_reminded_at');
        -- A missing key (no row before, or after) counts as JSON null: a creation lists only
        -- the fields it set.
        if coalesce(before -> k, 'null'::jsonb) is distinct from coalesce(after -> k, 'null'::jsonb) then
          diff := diff || jsonb_build_object(k, jsonb_build_object(
            'before', coalesce(before -> k, 'null'::jsonb), 'after', coalesce(after -> k, 'null'::jsonb)));
        end if;
      end loop;
      if diff = '{}'::jsonb then return null; end if;
      -- An email scrubbed for privacy (an assignment expired by the 90-day timeout) must not
      -- survive in the history: redact it here and in the row's earlier entries.
      if (after ->> 'learner_email') ~ '^retired_user[0-9a-f]*@retired[.]invalid$'
         and (before ->> 'learner_email') is distinct from (after ->> 'learner_email') then
        diff := diff || jsonb_build_object('learner_email', jsonb_build_object('before', '[scrubbed]', 'after', '[scrubbed]'));
        update change_history set changes = changes
            || jsonb_build_object('learner_email', jsonb_build_object('before', '[scrubbed]', 'after', '[scrubbed]'))
          where table_name = tg_table_name and row_uuid = (after ->> 'uuid')::uuid and changes ? 'learner_email';
      end if;
      insert into change_history (table_name, row_uuid, operation, changed_by, reason, changed_at, changes)
      values (
        tg_table_name,
        coalesce(after ->> 'uuid', before ->> 'uuid')::uuid,
        lower(tg_op),
        coalesce(nullif(current_setting('campus.actor', true), ''), 'system'),
        nullif(current_setting('campus.reason', true), ''),
        coalesce(nullif(current_setting('campus.now', true), '')::timestamptz, now()),
        diff
      );
      return null;
    end $$;

    create trigger subsidy_access_policies_history after insert or update or delete on subsidy_access_policies
      for each row execute function record_change();
    create trigger subsidies_history after insert or update or delete on subsidies
      for each row execute function record_change();
    create trigger learner_content_assignments_history after insert or update or delete on learner_content_assignments
      for each row execute function record_change();
    create trigger learner_credit_requests_history after insert or update or delete on learner_credit_requests
      for each row execute function record_change();
    create trigger enterprise_customers_history after insert or update or delete on enterprise_customers
      for each row execute function record_change();
  `.execute(db);
}
