import type { Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
import type { ChangeRow } from './schema.js';

const ofRow = (db: Executor, table: string, rowUuid: string) =>
  db.selectFrom('change_history').where('table_name', '=', table).where('row_uuid', '=', rowUuid);

export async function count(db: Executor, table: string, rowUuid: string): Promise<number> {
  return countRows(ofRow(db, table, rowUuid));
}

/** Newest first. */
export async function page(
  db: Executor,
  table: string,
  rowUuid: string,
  offset: number,
  limit: number,
): Promise<ChangeRow[]> {
  return ofRow(db, table, rowUuid).selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute();
}
