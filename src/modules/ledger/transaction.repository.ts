import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import type { ReversalRow, TransactionKind, TransactionRow, TransactionState } from './schema.js';

export interface NewTransaction {
  uuid: string;
  ledger_uuid: string;
  idempotency_key: string;
  fingerprint: string;
  kind: TransactionKind;
  quantity: number;
  state: TransactionState;
  lms_user_id: number | null;
  lms_user_email: string | null;
  content_key: string | null;
  parent_content_key: string | null;
  content_title: string | null;
  course_run_start_date: Date | null;
  subsidy_access_policy_uuid: string | null;
  metadata: Record<string, unknown> | null;
  /** Set when the entry is written already committed to what fulfilled it. */
  fulfillment_identifier?: string | null;
  now: Date;
}

export async function getByKey(
  db: Executor,
  ledgerUuid: string,
  key: string,
): Promise<TransactionRow | undefined> {
  return db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('ledger_uuid', '=', ledgerUuid)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function getById(db: Executor, uuid: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('ledger_transactions').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function lockById(db: Executor, uuid: string): Promise<TransactionRow | undefined> {
  return db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('uuid', '=', uuid)
    .forUpdate()
    .executeTakeFirst();
}

/** Many transactions in one statement (a batch of redemptions under one ledger lock). */
export async function insertMany(db: Executor, rows: NewTransaction[]): Promise<TransactionRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('ledger_transactions')
    .values(
      rows.map(({ now, metadata, ...rest }) => ({
        ...rest,
        metadata: metadata ? JSON.stringify(metadata) : null,
        created: now,
        modified: now,
      })),
    )
    .returningAll()
    .execute();
}

export async function setState(
  db: Executor,
  uuid: string,
  state: TransactionState,
  fields: { fulfillment_identifier?: string | null },
  now: Date,
): Promise<TransactionRow> {
  return db
    .updateTable('ledger_transactions')
    .set({ state, ...fields, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getReversal(db: Executor, transactionUuid: string): Promise<ReversalRow | undefined> {
  return db
    .selectFrom('ledger_reversals')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirst();
}

export async function insertReversal(
  db: Executor,
  r: {
    uuid: string;
    transaction_uuid: string;
    idempotency_key: string;
    quantity: number;
    metadata: Record<string, unknown> | null;
    now: Date;
  },
): Promise<ReversalRow> {
  const { now, metadata, ...rest } = r;
  return db
    .insertInto('ledger_reversals')
    .values({ ...rest, metadata: metadata ? JSON.stringify(metadata) : null, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Unfinished transactions (created or pending) older than `before`, oldest first. */
export async function listUnfinishedBefore(
  db: Executor,
  before: Date,
  limit: number,
  states: ReadonlyArray<'created' | 'pending'> = ['created', 'pending'],
): Promise<TransactionRow[]> {
  return db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where((eb) => inList(eb, 'state', states))
    .where('created', '<', before)
    .orderBy('created')
    .limit(limit)
    .execute();
}
