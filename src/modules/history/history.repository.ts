import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { ChangeRow } from './schema.js';

const ofRow = (db: Executor, table: string, rowUuid: string) =>
  db.selectFrom('change_history').where('table_name', '=', table).where('row_uuid', '=', rowUuid);

/** A page of one row's changes, newest first, and their number. */
export async function page(
  db: Executor,
  table: string,
  rowUuid: string,
  window: PageWindow,
): Promise<Paged<ChangeRow>> {
  return paged(db, ofRow(db, table, rowUuid), (q) => q.selectAll().orderBy('id', 'desc'), window);
}
