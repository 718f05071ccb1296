import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Per-caller request counts in fixed windows, for the few routes that are cheap to call and
    -- costly for others. In the database, so that every Campus process sharing it enforces one
    -- limit rather than one each.
    create table rate_limit_windows (
      key text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (key, window_start)
    );
    create index rate_limit_windows_start_idx on rate_limit_windows (window_start);
  `.execute(db);
}
