import type { Executor } from '../../database.js';
import * as ledgers from './ledger.repository.js';
import * as spendByPolicy from './spend-by-policy.repository.js';
import * as counts from './transaction-counts.repository.js';

export interface LedgerCheck {
  uuid: string;
  stored: { balance: number; committed: number; deposits: number };
  journal: { balance: number; committed: number; deposits: number };
  /** Policy and learner spend totals that disagree with the journal: `key: stored vs journal`. */
  totalsMismatches: string[];
  ok: boolean;
}

/**
 * Recomputes every ledger's balances from its journal (transactions and reversals) and compares
 * them with the running balances on the ledger rows. Run by `campus ledger verify`.
 */
export async function verifyLedgers(
  db: Executor,
  options: { ledgerUuids?: string[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<LedgerCheck[]> {
  const rows = await ledgers.listForVerify(db, options.ledgerUuids);
  const checks: LedgerCheck[] = [];
  for (const [i, row] of rows.entries()) {
    const [computed, journalPolicy, storedPolicy] = await Promise.all([
      ledgers.journalTotals(db, row.uuid),
      spendByPolicy.journalPolicyTotals(db, row.uuid),
      spendByPolicy.storedPolicyTotals(db, row.uuid),
    ]);
    const totalsMismatches: string[] = [];
    for (const key of new Set([...journalPolicy.keys(), ...storedPolicy.keys()])) {
      const a = storedPolicy.get(key);
      const b = journalPolicy.get(key);
      if (a?.spentCents !== b?.spentCents || a?.redemptions !== b?.redemptions) {
        totalsMismatches.push(
          `${key}: stored ${JSON.stringify(a ?? null)} vs journal ${JSON.stringify(b ?? null)}`,
        );
      }
    }
    const stored = {
      balance: row.balance_cents,
      committed: row.committed_balance_cents,
      deposits: row.total_deposits_cents,
    };
    checks.push({
      uuid: row.uuid,
      stored,
      journal: computed,
      totalsMismatches,
      ok:
        totalsMismatches.length === 0 &&
        stored.balance === computed.balance &&
        stored.committed === computed.committed &&
        stored.deposits === computed.deposits,
    });
    options.onProgress?.(i + 1, rows.length);
  }
  return checks;
}

/**
 * Every (ledger, policy reference, kind, state) whose appended transaction counts disagree with the
 * transactions: empty when the triggers and folds kept the counts exact (for tests and operators;
 * reads the whole table).
 */
export function transactionCountMismatches(
  db: Executor,
): ReturnType<typeof counts.transactionCountMismatches> {
  return counts.transactionCountMismatches(db);
}
