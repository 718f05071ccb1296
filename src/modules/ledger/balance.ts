import type { Executor } from '../../database.js';
import { ledgerNotFound } from './ledger.errors.js';
import * as ledgers from './ledger.repository.js';
import type { LedgerUnit } from './schema.js';

export interface Balances {
  uuid: string;
  unit: LedgerUnit;
  /** What can still be spent: deposits minus committed and reserved spends, plus refunds. */
  balance: number;
  /** The same counting committed entries only. */
  committedBalance: number;
  /** Committed deposits plus adjustments. */
  totalDeposits: number;
}

/** One indexed row read, whatever the ledger's history: the balances are kept on the ledger row. */
export async function getBalances(db: Executor, ledgerUuid: string): Promise<Balances> {
  const row = await ledgers.getById(db, ledgerUuid);
  if (!row) throw ledgerNotFound(ledgerUuid);
  return {
    uuid: row.uuid,
    unit: row.unit,
    balance: row.balance_cents,
    committedBalance: row.committed_balance_cents,
    totalDeposits: row.total_deposits_cents,
  };
}

/** Balances of many ledgers in one query. */
export async function getBalancesOf(db: Executor, ledgerUuids: string[]): Promise<Map<string, Balances>> {
  const rows = await ledgers.getByIds(db, ledgerUuids);
  return new Map(
    rows.map((row) => [
      row.uuid,
      {
        uuid: row.uuid,
        unit: row.unit,
        balance: row.balance_cents,
        committedBalance: row.committed_balance_cents,
        totalDeposits: row.total_deposits_cents,
      },
    ]),
  );
}
