import type { AppContext } from '../../context.js';
import { reversedTransactionUuids } from '../ledger/index.js';
import * as assignments from './assignments.repository.js';
import { recordDone } from './record-action.js';
import { announceTransition } from './transitions.js';

export interface ReversalSyncReport {
  checked: number;
  reversed: number;
}

export const REVERSAL_BATCH_SIZE = 500;

/**
 * Moves accepted assignments whose ledger transaction has been reversed (a refund) to `reversed`,
 * with reversed_at and a `reversed` action — the reference does this on the ledger's
 * LEDGER_TRANSACTION_REVERSED event. Campus keeps the ledger and subsidy modules unaware of
 * assignments: this sweep (every minute) reads the ledger instead of being called from the
 * refund paths. Idempotent: a reversed assignment is no longer accepted. Per page of
 * `batchSize`: one page read, one ledger read and, when any are reversed, one transaction of
 * two statements.
 */
export async function syncReversedAssignments(
  ctx: AppContext,
  options: { dryRun?: boolean; batchSize?: number } = {},
): Promise<ReversalSyncReport> {
  const db = ctx.db.kysely;
  const batchSize = options.batchSize ?? REVERSAL_BATCH_SIZE;
  const report: ReversalSyncReport = { checked: 0, reversed: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await assignments.acceptedWithTransactionPage(db, after, batchSize);
    if (page.length === 0) break;
    after = page[page.length - 1]?.uuid ?? null;
    report.checked += page.length;
    const reversedTx = await reversedTransactionUuids(
      db,
      page.map((r) => r.transaction_uuid as string),
    );
    const hit = page.filter((r) => reversedTx.has(r.transaction_uuid as string)).map((r) => r.uuid);
    if (hit.length && options.dryRun) report.reversed += hit.length;
    else if (hit.length) {
      report.reversed += await ctx.db.transaction(async (trx) => {
        const now = ctx.clock.now();
        // Only those still accepted: a concurrent run has already moved the others.
        const moved = await assignments.transitionMany(trx, hit, 'accepted', {
          state: 'reversed',
          reversed_at: now,
          learner_acknowledged: false,
          modified: now,
        });
        await recordDone(ctx, trx, moved, 'reversed');
        await announceTransition(ctx, trx, { to: 'reversed', assignments: moved });
        return moved.length;
      });
    }
    if (page.length < batchSize) break;
  }
  return report;
}
