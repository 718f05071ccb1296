import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { OutboxRow, OutboxStatus } from './schema.js';

export interface NewOutboxRow {
  uuid: string;
  idempotency_key: string | null;
  ref?: string | null;
  template: string;
  to_address: string;
  reply_to: string | null;
  context: Record<string, unknown>;
  subject: string;
  text_body: string;
  html_body: string;
  now: Date;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  to?: string;
  template?: string;
}

/** Inserts a message; a repeated idempotency key inserts nothing and returns the existing row. */
export async function insertOnce(db: Executor, row: NewOutboxRow): Promise<OutboxRow> {
  const { now, context, ...rest } = row;
  const inserted = await db
    .insertInto('outbox')
    .values({ ...rest, context: JSON.stringify(context), next_attempt_at: now, created: now, modified: now })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirstOrThrow();
}

/** Inserts many messages in one statement; rows whose idempotency key exists are skipped. */
export async function insertManyOnce(db: Executor, rows: NewOutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('outbox')
    .values(
      rows.map(({ now, context, ...rest }) => ({
        ...rest,
        context: JSON.stringify(context),
        next_attempt_at: now,
        created: now,
        modified: now,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0);
}

function filtered(db: Executor, f: OutboxFilter) {
  let q = db.selectFrom('outbox');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.to) q = q.where('to_address', '=', f.to);
  if (f.template) q = q.where('template', '=', f.template);
  return q;
}

/** A page of the filtered messages, newest first, and their number. */
export async function list(db: Executor, f: OutboxFilter, window: PageWindow): Promise<Paged<OutboxRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'), window);
}

/**
 * Claims up to `limit` due messages for this worker: pending ones whose time has come, and ones a
 * crashed worker left in `sending` past their claim. SKIP LOCKED lets several processes claim
 * disjoint batches at once.
 */
export async function claimDue(
  db: Executor,
  now: Date,
  claimUntil: Date,
  limit: number,
): Promise<OutboxRow[]> {
  const due = await db
    .selectFrom('outbox')
    .select('uuid')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  return db
    .updateTable('outbox')
    .set({ status: 'sending', claimed_until: claimUntil, modified: now })
    .where(
      'uuid',
      'in',
      due.map((d) => d.uuid),
    )
    .returningAll()
    .execute();
}

export async function markSent(db: Executor, uuid: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sent',
      sent_at: now,
      claimed_until: null,
      last_error: null,
      attempts: eb('attempts', '+', 1),
      modified: now,
    }))
    .where('uuid', '=', uuid)
    .execute();
}

export async function markAttemptFailed(
  db: Executor,
  uuid: string,
  update: { status: 'pending' | 'failed'; error: string; nextAttemptAt: Date; now: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      status: update.status,
      last_error: update.error.slice(0, 2000),
      next_attempt_at: update.nextAttemptAt,
      claimed_until: null,
      attempts: eb('attempts', '+', 1),
      modified: update.now,
    }))
    .where('uuid', '=', uuid)
    .execute();
}

/** Which of these idempotency keys already have a message. */
export async function existingKeys(db: Executor, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('idempotency_key', 'in', keys)
    .execute();
  return rows.flatMap((r) => (r.idempotency_key ? [r.idempotency_key] : []));
}
