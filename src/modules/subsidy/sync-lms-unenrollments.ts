import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import type { LmsClient, LmsUnenrollment } from '../../lms/lms-client.js';
import { getTransaction, lockRedemption, moneyTransaction, reverseTransaction } from '../ledger/index.js';
import * as enrollments from './enrollment.repository.js';
import { isRefundable } from './refund.js';

/**
 * How far back each run asks the LMS: a week, as enterprise-subsidy does — far wider than the run's
 * period, so that a run that failed or a process that was down loses nothing; what an earlier run
 * handled is recognised (its reversal exists) and left alone.
 */
export const UNENROLLMENT_LOOKBACK_MS = 7 * 86_400_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type UnenrollmentOutcome =
  /** Inside the refund window: the redemption was reversed (money back to the subsidy). */
  | 'refunded'
  /** Past the window (or no run start to count from): the enrollment ends, no money moves. */
  | 'not_refundable'
  /** Reversed before (an earlier run, the learner's own unenroll, an operator): nothing to do. */
  | 'already_reversed'
  /** The LMS names a transaction Campus does not hold, holds for another fulfillment, or has not committed. */
  | 'unmatched';

export interface UnenrollmentSyncReport {
  seen: number;
  refunded: number;
  not_refundable: number;
  already_reversed: number;
  unmatched: number;
  dryRun: boolean;
  /** Each unenrollment the LMS listed and what was (or, in a dry run, would be) done. */
  items: Array<{
    transaction_uuid: string;
    fulfillment_uuid: string;
    unenrolled_at: string;
    outcome: UnenrollmentOutcome;
  }>;
}

/**
 * Learners who unenrolled in the LMS get what unenrolling in Campus gives them: within 14 days of
 * max(run start, redemption) the redemption is reversed, with the key enterprise-subsidy uses
 * (`unenrollment-reversal-{fulfillment}-{unenrolled_at}`), so however often this runs — and
 * whatever else reverses the same redemption meanwhile — it is refunded once. Each unenrollment is
 * its own short transaction, in the lock order (ledger → transaction → enrollment).
 */
export async function syncLmsUnenrollments(
  ctx: AppContext,
  lms: LmsClient,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<UnenrollmentSyncReport> {
  const dryRun = options.dryRun ?? false;
  const listed = await lms.unenrolledAfter(new Date(ctx.clock.now().getTime() - UNENROLLMENT_LOOKBACK_MS));
  const report: UnenrollmentSyncReport = {
    seen: listed.length,
    refunded: 0,
    not_refundable: 0,
    already_reversed: 0,
    unmatched: 0,
    dryRun,
    items: [],
  };
  for (const [i, item] of listed.entries()) {
    const outcome = await moneyTransaction(ctx.db, async (trx) => {
      const decided = await decide(trx, item);
      if (!dryRun && decided !== 'already_reversed' && decided !== 'unmatched')
        await apply(ctx, trx, item, decided);
      return decided;
    });
    report[outcome]++;
    report.items.push({
      transaction_uuid: item.transactionUuid,
      fulfillment_uuid: item.fulfillmentUuid,
      unenrolled_at: item.unenrolledAt.toISOString(),
      outcome,
    });
    options.onProgress?.(i + 1, listed.length);
  }
  return report;
}

/** What one unenrollment calls for, read under the ledger and transaction locks. */
async function decide(trx: Trx, item: LmsUnenrollment): Promise<UnenrollmentOutcome> {
  if (!UUID.test(item.transactionUuid)) return 'unmatched';
  const locked = await lockRedemption(trx, item.transactionUuid);
  const tx = locked && (await getTransaction(trx, locked.uuid));
  if (tx?.kind !== 'spend') return 'unmatched';
  // A transaction fulfilled by the LMS carries its fulfillment's uuid: it must be this one.
  if (tx.fulfillment_identifier !== null && tx.fulfillment_identifier !== item.fulfillmentUuid)
    return 'unmatched';
  if (tx.reversal !== null) return 'already_reversed';
  if (tx.state !== 'committed') return 'unmatched';
  return isRefundable(tx.course_run_start_date, tx.created, item.unenrolledAt)
    ? 'refunded'
    : 'not_refundable';
}

/** The reversal (inside the window) and the end of Campus's record of the enrollment. */
async function apply(
  ctx: AppContext,
  trx: Trx,
  item: LmsUnenrollment,
  outcome: 'refunded' | 'not_refundable',
) {
  if (outcome === 'refunded') {
    await reverseTransaction(ctx, trx, {
      transactionUuid: item.transactionUuid,
      idempotencyKey: `unenrollment-reversal-${item.fulfillmentUuid}-${item.unenrolledAt.toISOString()}`,
      metadata: { reason: 'learner_unenrolled_in_lms', unenrolled_at: item.unenrolledAt.toISOString() },
    });
  }
  const found = await enrollments.getByTransaction(trx, item.transactionUuid);
  if (!found) return;
  const enrollment = await enrollments.lockById(trx, found.uuid);
  if (enrollment.is_active) await enrollments.deactivate(trx, enrollment.uuid, item.unenrolledAt);
}
