import type { AppContext } from '../../context.js';
import { moneyTransaction } from './lock-order.js';
import * as transactions from './transaction.repository.js';
import { transition } from './transition.js';

export interface StaleSweepReport {
  checked: number;
  failed: number;
  dryRun: boolean;
}

/**
 * Fails spends left `created` or `pending` longer than `olderThanMs` (a process died mid-redeem)
 * and so releases what they reserved. Each one is failed in its own short transaction, under the
 * lock order of lock-order.ts (ledger → transaction, as a redemption), so the sweep never blocks a
 * ledger for long and never deadlocks with a redeem or a refund.
 */
export async function failStaleTransactions(
  ctx: AppContext,
  options: {
    olderThanMs: number;
    asOf?: Date;
    dryRun?: boolean;
    batchSize?: number;
    /** Which unfinished states to fail; with an LMS, pending spends are reconciled with it instead. */
    states?: ReadonlyArray<'created' | 'pending'>;
  },
): Promise<StaleSweepReport> {
  const asOf = options.asOf ?? ctx.clock.now();
  const before = new Date(asOf.getTime() - options.olderThanMs);
  const report: StaleSweepReport = { checked: 0, failed: 0, dryRun: options.dryRun ?? false };
  const batchSize = options.batchSize ?? 200;
  for (;;) {
    const stale = await transactions.listUnfinishedBefore(ctx.db.kysely, before, batchSize, options.states);
    report.checked += stale.length;
    if (options.dryRun || stale.length === 0) return report;
    for (const tx of stale) {
      const after = await moneyTransaction(ctx.db, (trx) => transition(ctx, trx, tx.uuid, 'failed'));
      if (after.state === 'failed') report.failed++;
    }
    if (stale.length < batchSize) return report;
  }
}
