import type { SelectQueryBuilder } from 'kysely';
import { countRows } from './count.js';

/** Where a page starts and how many rows it holds (`pageWindow()` in src/http/pagination.ts). */
export interface PageWindow {
  offset: number;
  limit: number;
}

/** One page of a list, and how many rows the whole list has. */
export interface Paged<R> {
  count: number;
  rows: R[];
}

/**
 * The one way a repository reads a page of a list. `filter` is the list's FROM and WHERE, with
 * nothing selected and no order; `page` selects the columns and orders them, ending on a unique
 * column (`uuid`, a key) so that rows tied on the sort key never move between pages; `window` is
 * the LIMIT and OFFSET. The count is `count(*)` over `filter`, unless the caller has an exact one
 * that is cheaper (`count`: the appended counts of a million-row table).
 *
 * On the root handle both statements are sent at once, on two pool connections (one round trip,
 * as the lists always had). In a transaction they run one after the other: its one connection
 * answers one statement at a time anyway, and the page is not asked for after a failed count.
 */
export async function paged<DB, TB extends keyof DB, O, PDB, PTB extends keyof PDB, R>(
  db: { readonly isTransaction: boolean },
  filter: SelectQueryBuilder<DB, TB, O>,
  page: (filter: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<PDB, PTB, R>,
  window: PageWindow,
  options: { count?: () => Promise<number> } = {},
): Promise<Paged<R>> {
  const count = options.count ?? (() => countRows(filter));
  const rows = () => page(filter).offset(window.offset).limit(window.limit).execute();
  if (db.isTransaction) {
    const n = await count();
    return { count: n, rows: await rows() };
  }
  const [n, found] = await Promise.all([count(), rows()]);
  return { count: n, rows: found };
}
