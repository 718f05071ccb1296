import type { AppContext } from '../../context.js';
import type { LmsClient } from '../../lms/lms-client.js';
import { LmsError } from '../../lms/lms-error.js';
import * as cancellations from './lms-cancellations.repository.js';

/** The wait before asking again grows with each failure, up to this. */
const MAX_BACKOFF_MS = 6 * 3600_000;
const FIRST_BACKOFF_MS = 60_000;

export interface CancellationReport {
  due: number;
  cancelled: number;
  /** The LMS refused (it does not know the fulfillment, say): given up, the reason kept on the row. */
  refused: number;
  /** The LMS could not be reached or failed: asked again later. */
  retrying: number;
  dryRun: boolean;
}

/**
 * Ends in the LMS the enrollments whose redemptions were refunded in Campus (queued by the refund
 * in its own transaction). A cancellation the LMS refuses is given up, with its reason, and
 * logged; one it could not answer is asked again later, the wait doubling from a minute to six
 * hours, until it is done. The LMS treats a repeated cancellation as done.
 */
export async function cancelLmsFulfillments(
  ctx: AppContext,
  lms: LmsClient,
  options: { dryRun?: boolean; batchSize?: number } = {},
): Promise<CancellationReport> {
  const now = ctx.clock.now();
  const rows = await cancellations.due(ctx.db.kysely, now, options.batchSize ?? 500);
  const report: CancellationReport = {
    due: rows.length,
    cancelled: 0,
    refused: 0,
    retrying: 0,
    dryRun: options.dryRun ?? false,
  };
  if (report.dryRun) return report;
  for (const row of rows) {
    try {
      await lms.cancelFulfillment(row.fulfillment_uuid);
      await cancellations.finish(ctx.db.kysely, row.uuid, ctx.clock.now(), null);
      report.cancelled++;
    } catch (err) {
      if (!(err instanceof LmsError)) throw err;
      if (err.kind === 'refused') {
        ctx.log.error(
          { err, fulfillment: row.fulfillment_uuid },
          'the LMS refused to cancel a refunded fulfillment',
        );
        await cancellations.finish(ctx.db.kysely, row.uuid, ctx.clock.now(), err.message);
        report.refused++;
      } else {
        const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** row.attempts);
        const at = ctx.clock.now();
        await cancellations.retryLater(
          ctx.db.kysely,
          row.uuid,
          new Date(at.getTime() + wait),
          err.message,
          at,
        );
        report.retrying++;
      }
    }
  }
  return report;
}
