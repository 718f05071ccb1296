import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { AttemptOutcome, AttemptRow, ForcedRedemptionRow } from './schema.js';

export async function insertAttempt(db: Executor, row: AttemptRow): Promise<void> {
  await insertAttempts(db, [row]);
}

/** Many attempt rows in one statement (a batch of redemptions). */
export async function insertAttempts(db: Executor, rows: AttemptRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('redemption_attempts').values(rows).execute();
}

/**
 * The attempt that made a redemption whose fulfillment the LMS then refused: it ends as an error
 * (`enrollment_error`, as the reference reports it), not as a redemption.
 */
export async function markFulfillmentRefused(
  db: Executor,
  transactionUuid: string,
  detail: string,
): Promise<void> {
  await db
    .updateTable('redemption_attempts')
    .set({ outcome: 'error', reason: 'enrollment_error', detail: detail.slice(0, 1000) })
    .where('transaction_uuid', '=', transactionUuid)
    .where('outcome', '=', 'redeemed')
    .execute();
}

export interface AttemptFilter {
  policyUuid: string;
  lmsUserId?: number;
  outcome?: AttemptOutcome;
}

function filtered(db: Executor, f: AttemptFilter) {
  let q = db.selectFrom('redemption_attempts').where('policy_uuid', '=', f.policyUuid);
  if (f.lmsUserId !== undefined) q = q.where('lms_user_id', '=', f.lmsUserId);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  return q;
}

/** A page of a policy's attempts, newest first, and their number. */
export async function listAttempts(
  db: Executor,
  f: AttemptFilter,
  window: PageWindow,
): Promise<Paged<AttemptRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'), window);
}

export async function insertForced(db: Executor, row: ForcedRedemptionRow): Promise<ForcedRedemptionRow> {
  return db.insertInto('forced_redemptions').values(row).returningAll().executeTakeFirstOrThrow();
}
