import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import type { LedgerRow, LedgerUnit } from './schema.js';

export async function getByKey(db: Executor, idempotencyKey: string): Promise<LedgerRow | undefined> {
  return db
    .selectFrom('ledgers')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

export async function getById(db: Executor, uuid: string): Promise<LedgerRow | undefined> {
  return db.selectFrom('ledgers').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getByIds(db: Executor, uuids: string[]): Promise<LedgerRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('ledgers').selectAll().where('uuid', 'in', uuids).execute();
}

/** The ledger row, locked until the transaction ends: every balance change goes through here first. */
export async function lockById(db: Executor, uuid: string): Promise<LedgerRow | undefined> {
  return db.selectFrom('ledgers').selectAll().where('uuid', '=', uuid).forUpdate().executeTakeFirst();
}

/** Locks the ledger of a transaction (before the transaction itself, the fixed lock order). */
export async function lockByTransaction(
  db: Executor,
  transactionUuid: string,
): Promise<LedgerRow | undefined> {
  return db
    .selectFrom('ledgers')
    .selectAll()
    .where('uuid', '=', (eb) =>
      eb
        .selectFrom('ledger_transactions')
        .select('ledger_transactions.ledger_uuid')
        .where('ledger_transactions.uuid', '=', transactionUuid),
    )
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts a ledger unless one with the key exists; returns the row either way. */
export async function insertOnce(
  db: Executor,
  row: {
    uuid: string;
    idempotency_key: string;
    unit: LedgerUnit;
    metadata: Record<string, unknown> | null;
    now: Date;
  },
): Promise<LedgerRow> {
  const inserted = await db
    .insertInto('ledgers')
    .values({
      uuid: row.uuid,
      idempotency_key: row.idempotency_key,
      unit: row.unit,
      metadata: row.metadata ? JSON.stringify(row.metadata) : null,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await getByKey(db, row.idempotency_key).then((r) => r as LedgerRow));
}

/** Moves the running balances by the given amounts (they may be 0 or negative). */
export async function addToBalances(
  db: Executor,
  uuid: string,
  delta: { balance: number; committed: number; deposits: number },
  now: Date,
): Promise<LedgerRow> {
  return db
    .updateTable('ledgers')
    .set((eb) => ({
      balance_cents: eb('balance_cents', '+', delta.balance),
      committed_balance_cents: eb('committed_balance_cents', '+', delta.committed),
      total_deposits_cents: eb('total_deposits_cents', '+', delta.deposits),
      modified: now,
    }))
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listForVerify(db: Executor, uuids?: string[]): Promise<LedgerRow[]> {
  let q = db.selectFrom('ledgers').selectAll();
  if (uuids) q = q.where((eb) => inList(eb, 'uuid', uuids));
  return q.orderBy('created').execute();
}

/** The balances recomputed from the journal: the slow truth that the running balances must equal. */
export async function journalTotals(
  db: Executor,
  ledgerUuid: string,
): Promise<{ balance: number; committed: number; deposits: number }> {
  const r = await sql<{ balance: number; committed: number; deposits: number }>`
    select
      coalesce(sum(case when t.state <> 'failed' then t.quantity + coalesce(r.quantity, 0) end), 0)::bigint as balance,
      coalesce(sum(case when t.state = 'committed' then t.quantity + coalesce(r.quantity, 0) end), 0)::bigint as committed,
      coalesce(sum(case when t.state = 'committed' and t.kind <> 'spend' then t.quantity end), 0)::bigint as deposits
    from ledger_transactions t
    left join ledger_reversals r on r.transaction_uuid = t.uuid
    where t.ledger_uuid = ${ledgerUuid}`.execute(db);
  const row = r.rows[0];
  return {
    balance: Number(row?.balance ?? 0),
    committed: Number(row?.committed ?? 0),
    deposits: Number(row?.deposits ?? 0),
  };
}
