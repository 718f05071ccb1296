import type { ColumnType, Selectable } from 'kysely';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  uuid: string;
  idempotency_key: string | null;
  /** What the message reports on, handed to delivery-outcome listeners (see outcomes.ts). */
  ref: ColumnType<string | null, string | null | undefined, string | null>;
  template: string;
  to_address: string;
  reply_to: string | null;
  context: ColumnType<Record<string, unknown>, string, string>;
  subject: string;
  text_body: string;
  html_body: string;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  claimed_until: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  created: Date;
  modified: Date;
}

export type OutboxRow = Selectable<OutboxTable>;

export interface NotificationsTables {
  outbox: OutboxTable;
}
