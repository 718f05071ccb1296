import type { Executor } from '../../database.js';
import type { AdjustmentReason, AdjustmentRow, DepositRow } from './schema.js';

export async function providerExists(db: Executor, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('sales_contract_reference_providers')
    .select('slug')
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row !== undefined;
}

export async function getDepositByTransaction(db: Executor, transactionUuid: string): Promise<DepositRow> {
  return db
    .selectFrom('ledger_deposits')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirstOrThrow();
}

export async function insertDeposit(
  db: Executor,
  d: Omit<DepositRow, 'created' | 'modified'> & { now: Date },
): Promise<DepositRow> {
  const { now, ...rest } = d;
  return db
    .insertInto('ledger_deposits')
    .values({ ...rest, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getAdjustmentByTransaction(
  db: Executor,
  transactionUuid: string,
): Promise<AdjustmentRow> {
  return db
    .selectFrom('ledger_adjustments')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirstOrThrow();
}

export async function insertAdjustment(
  db: Executor,
  a: {
    uuid: string;
    ledger_uuid: string;
    transaction_uuid: string;
    adjustment_quantity: number;
    reason: AdjustmentReason;
    notes: string | null;
    transaction_of_interest_uuid: string | null;
    now: Date;
  },
): Promise<AdjustmentRow> {
  const { now, ...rest } = a;
  return db
    .insertInto('ledger_adjustments')
    .values({ ...rest, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}
