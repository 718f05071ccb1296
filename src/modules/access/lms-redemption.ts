import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import type { LmsError } from '../../lms/lms-error.js';
import { BusinessRule } from '../../shared/errors.js';
import { markRedemptionRefused } from '../assignments/index.js';
import { unfinishedTransactionsBefore } from '../ledger/index.js';
import { fulfillThroughLms, pendingRedemption, type Redemption } from '../subsidy/index.js';
import * as attempts from './attempts.repository.js';

/**
 * A redemption made through the LMS, once its transaction has committed (no lock held): the LMS
 * enrolls the learner and the spend is committed; a refusal fails the spend (its reservation
 * released), errors the assignment it accepted and answers 422 `enrollment_error`; when the LMS
 * cannot say, the pending transaction is answered as it is — the learner portal polls its status —
 * and reconciliation settles it. Without an LMS, or for a redemption handed back, nothing to do.
 */
export async function fulfilledRedemption(ctx: AppContext, redemption: Redemption): Promise<Redemption> {
  if (!ctx.lms || !redemption.created || redemption.transaction.state !== 'pending') return redemption;
  const result = await fulfillThroughLms(
    ctx,
    ctx.lms,
    redemption,
    refusalOf(ctx, redemption.transaction.uuid),
  );
  if (result.outcome !== 'refused') return result.redemption;
  throw new BusinessRule(
    'enrollment_error',
    `The LMS did not enroll the learner in ${redemption.transaction.content_key}; nothing was charged.`,
  );
}

/**
 * What a refused fulfillment ends besides the spend, in the spend's transaction (after the ledger
 * and transaction locks, as the lock order has it): the assignment errored, the attempt an error.
 */
const refusalOf =
  (ctx: AppContext, transactionUuid: string) =>
  async (trx: Trx, error: LmsError): Promise<void> => {
    await markRedemptionRefused(ctx, trx, { transactionUuid, reason: error.message });
    await attempts.markFulfillmentRefused(trx, transactionUuid, error.message);
  };

export interface ReconcileReport {
  checked: number;
  committed: number;
  failed: number;
  /** The LMS still could not say: left pending (reserved) for the next run. */
  pending: number;
  dryRun: boolean;
}

/**
 * Pending redemptions older than `olderThanMs` (a process died between reserving and the LMS's
 * answer, or the LMS could not say) are asked again — the LMS enrolls once per transaction id, so
 * asking again never enrolls twice — and settled by the answer: committed, or failed only when the
 * LMS certainly did nothing. Never charged twice, never failed while the learner may be enrolled.
 */
export async function reconcileLmsFulfillments(
  ctx: AppContext,
  options: {
    olderThanMs: number;
    asOf?: Date;
    dryRun?: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ReconcileReport> {
  const lms = ctx.lms;
  if (!lms) throw new Error('reconcileLmsFulfillments: no LMS configured');
  const before = new Date((options.asOf ?? ctx.clock.now()).getTime() - options.olderThanMs);
  const pending = await unfinishedTransactionsBefore(ctx.db.kysely, before, 10_000, ['pending']);
  const report: ReconcileReport = {
    checked: pending.length,
    committed: 0,
    failed: 0,
    pending: 0,
    dryRun: options.dryRun ?? false,
  };
  if (report.dryRun) return report;
  for (const [i, tx] of pending.entries()) {
    const redemption = await pendingRedemption(ctx, tx);
    if (redemption) {
      const result = await fulfillThroughLms(ctx, lms, redemption, refusalOf(ctx, tx.uuid));
      if (result.outcome === 'committed') report.committed++;
      else if (result.outcome === 'unknown') report.pending++;
      else report.failed++;
    }
    options.onProgress?.(i + 1, pending.length);
  }
  return report;
}
