import type { ColumnType, Generated, Selectable } from 'kysely';

/** Written only by the record_change() trigger (migration change_history); read here. */
export interface ChangeHistoryTable {
  id: Generated<number>;
  table_name: string;
  row_uuid: string;
  operation: 'insert' | 'update' | 'delete';
  changed_by: string;
  reason: string | null;
  changed_at: Date;
  changes: ColumnType<Record<string, { before: unknown; after: unknown }>, never, never>;
}

export type ChangeRow = Selectable<ChangeHistoryTable>;

export interface HistoryTables {
  change_history: ChangeHistoryTable;
}
