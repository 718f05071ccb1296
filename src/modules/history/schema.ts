import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines } from '../../db/table-types.js';
import type { ChangeHistoryColumns, HistoryTableColumns } from './tables.generated.js';

/** Written only by the record_change() trigger (migration change_history); read here. */
export interface ChangeHistoryTable extends Omit<ChangeHistoryColumns, 'operation' | 'changes'> {
  operation: 'insert' | 'update' | 'delete';
  changes: ColumnType<Record<string, { before: unknown; after: unknown }>, never, never>;
}

export type ChangeRow = Selectable<ChangeHistoryTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = ['change_history'] as const;

export interface HistoryTables {
  change_history: ChangeHistoryTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type HistoryRefinementsHold = Holds<Refines<HistoryTableColumns, HistoryTables>>;
