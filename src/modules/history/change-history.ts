import type { Executor } from '../../database.js';
import * as history from './history.repository.js';
import type { ChangeRow } from './schema.js';

/** The records whose changes are kept (each has a trigger in the change_history migration). */
export type HistoryTable =
  | 'subsidy_access_policies'
  | 'subsidies'
  | 'learner_content_assignments'
  | 'enterprise_customers'
  | 'learner_credit_requests';

export interface ChangeView {
  id: number;
  operation: ChangeRow['operation'];
  changed_by: string;
  reason: string | null;
  changed_at: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

const view = (r: ChangeRow): ChangeView => ({
  id: r.id,
  operation: r.operation,
  changed_by: r.changed_by,
  reason: r.reason,
  changed_at: r.changed_at.toISOString(),
  changes: r.changes,
});

/**
 * One record's changes, newest first. No actor: the owning module has already decided that the
 * caller may see the record (admins of its enterprise and operators).
 */
export async function changeHistory(
  db: Executor,
  input: { table: HistoryTable; rowUuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  const { count, rows } = await history.page(db, input.table, input.rowUuid, input);
  return { count, rows: rows.map(view) };
}
