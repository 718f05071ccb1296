import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines } from '../../db/table-types.js';
import type { NotificationsTableColumns, OutboxColumns } from './tables.generated.js';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** `ref` is what the message reports on, handed to delivery-outcome listeners (see outcomes.ts). */
export interface OutboxTable extends Omit<OutboxColumns, 'status' | 'context'> {
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  context: ColumnType<Record<string, unknown>, string, string>;
}

export type OutboxRow = Selectable<OutboxTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = ['outbox'] as const;

export interface NotificationsTables {
  outbox: OutboxTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type NotificationsRefinementsHold = Holds<Refines<NotificationsTableColumns, NotificationsTables>>;
