import { type Kysely, sql } from 'kysely';

/**
 * Counts kept as appended change rows: a table of a scope column (a configuration, a ledger), key
 * columns and `n`, written by statement triggers that append each writing statement's net change,
 * so concurrent writers never wait on a shared counter row (and cannot deadlock on one). A reader
 * sums the rows of its scope; when they pile up it folds them into one row per key, in one
 * statement: what it deletes it re-inserts summed, so a fold racing a writer or another fold
 * loses nothing.
 */
export async function foldCounts<DB>(
  db: Kysely<DB>,
  table: string,
  scope: { column: string; uuid: string },
  keys: readonly string[],
): Promise<void> {
  const columns = sql.join(keys.map((k) => sql.ref(k)));
  await sql`
    with gone as (
      delete from ${sql.table(table)} where ${sql.ref(scope.column)} = ${scope.uuid}
      returning ${columns}, n
    )
    insert into ${sql.table(table)} (${sql.ref(scope.column)}, ${columns}, n)
    select ${scope.uuid}::uuid, ${columns}, sum(n) from gone group by ${columns} having sum(n) <> 0`.execute(
    db,
  );
}

/** More change rows than this in one scope and a read folds them. */
export const FOLD_AFTER = 64;
