import { type SelectQueryBuilder, sql } from 'kysely';

/** How many rows a filtered query selects: the `count` half of every paged list. */
export async function countRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = await query.select(sql<string | number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as unknown as { n: string | number }).n);
}
