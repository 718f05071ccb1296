import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import type { EnrollmentAsk, LmsClient } from '../../lms/lms-client.js';
import { LmsError } from '../../lms/lms-error.js';
import { commerceFacts } from '../catalog/index.js';
import { moneyTransaction, type TransactionRow, transition } from '../ledger/index.js';
import * as enrollments from './enrollment.repository.js';
import type { Redemption } from './redeem.js';
import type { SubsidyRow } from './schema.js';
import * as subsidies from './subsidy.repository.js';

/**
 * How a pending redemption's fulfillment ended: `committed` (the LMS enrolled the learner; the
 * transaction carries its fulfillment), `refused` (the LMS certainly did nothing; the transaction
 * failed and its reservation is released) or `unknown` (the LMS could not say: the transaction
 * stays pending, still reserved, until the LMS answers a later ask — reconcile).
 */
export type Fulfillment =
  | { outcome: 'committed'; redemption: Redemption }
  | { outcome: 'refused' | 'unknown'; redemption: Redemption; error: LmsError };

/**
 * Asks the LMS to enroll the learner a pending redemption pays for, then settles the transaction
 * by the answer, each settlement a short transaction of its own: no lock is held while the LMS is
 * asked, so a slow LMS delays only its own learner. The LMS enrolls once per transaction id, so
 * an answer that may hide an enrollment (a timeout, a 5xx, a malformed answer) is asked again once
 * at once; if that cannot tell either, the redemption stays pending and reserved — failing it
 * could leave a learner enrolled for free.
 */
export async function fulfillThroughLms(
  ctx: AppContext,
  lms: LmsClient,
  redemption: Redemption,
  /** What else a refusal ends (the caller's records of the redemption), in the same transaction. */
  onRefused: (trx: Trx, error: LmsError) => Promise<void> = async () => {},
): Promise<Fulfillment> {
  const tx = redemption.transaction;
  if (tx.state !== 'pending') throw new Error(`fulfillThroughLms: transaction ${tx.uuid} is ${tx.state}`);
  const ask: EnrollmentAsk = {
    customerUuid: redemption.subsidy.enterprise_customer_uuid,
    lmsUserId: tx.lms_user_id as number,
    courseRunKey: tx.content_key as string,
    transactionUuid: tx.uuid,
    forceEnrollment: tx.metadata?.allow_late_enrollment === true,
  };
  let answer = await enrollOrError(lms, ask);
  if (answer instanceof LmsError && answer.mayHaveActed) answer = await enrollOrError(lms, ask);
  if (!(answer instanceof LmsError)) {
    return {
      outcome: 'committed',
      redemption: await settleEnrolled(ctx, redemption, answer.fulfillmentUuid),
    };
  }
  if (answer.mayHaveActed) {
    ctx.log.warn(
      { err: answer, transaction: tx.uuid },
      'the LMS could not say whether it enrolled; left pending',
    );
    return { outcome: 'unknown', redemption, error: answer };
  }
  // Failed together with what the caller recorded on it: nothing half-done if the process dies.
  const failed = await moneyTransaction(ctx.db, async (trx) => {
    const row = await transition(ctx, trx, tx.uuid, 'failed');
    await onRefused(trx, answer);
    return row;
  });
  return {
    outcome: 'refused',
    redemption: { ...redemption, transaction: { ...tx, ...failed } },
    error: answer,
  };
}

async function enrollOrError(lms: LmsClient, ask: EnrollmentAsk) {
  try {
    return await lms.enroll(ask);
  } catch (err) {
    if (err instanceof LmsError) return err;
    throw err;
  }
}

/**
 * The LMS enrolled the learner: the spend is committed to its fulfillment and Campus records the
 * enrollment (its refunds on unenroll read it), once however many settle the same transaction.
 */
async function settleEnrolled(
  ctx: AppContext,
  redemption: Redemption,
  fulfillmentUuid: string,
): Promise<Redemption> {
  const tx = redemption.transaction;
  const key = tx.content_key as string;
  const facts = (await commerceFacts(ctx, ctx.db.kysely, [key])).get(key);
  return moneyTransaction(ctx.db, async (trx) => {
    // Ledger, then transaction, then enrollment: the lock order (ledger/lock-order.ts).
    const settled = await transition(ctx, trx, tx.uuid, 'committed', {
      fulfillmentIdentifier: fulfillmentUuid,
    });
    const now = ctx.clock.now();
    const enrollment =
      (await enrollments.getByTransaction(trx, tx.uuid)) ??
      (await enrollments.insert(trx, {
        uuid: ctx.ids.uuid(),
        lms_user_id: tx.lms_user_id as number,
        enterprise_customer_uuid: redemption.subsidy.enterprise_customer_uuid,
        subsidy_uuid: redemption.subsidy.uuid,
        transaction_uuid: tx.uuid,
        course_run_key: tx.content_key as string,
        course_key: tx.parent_content_key ?? facts?.courseKey ?? (tx.content_key as string),
        mode: facts?.paidMode ?? 'verified',
        is_active: true,
        unenrolled_at: null,
        lms_fulfillment_uuid: fulfillmentUuid,
        created: now,
        modified: now,
      }));
    return { ...redemption, transaction: { ...tx, ...settled }, enrollment };
  });
}

/** A pending redemption as fulfillThroughLms takes it, from its transaction alone (reconciliation). */
export async function pendingRedemption(ctx: AppContext, tx: TransactionRow): Promise<Redemption | null> {
  const subsidy: SubsidyRow | undefined = await subsidies.getByLedger(ctx.db.kysely, tx.ledger_uuid);
  if (!subsidy || tx.kind !== 'spend' || tx.lms_user_id === null || tx.content_key === null) return null;
  return { subsidy, transaction: { ...tx, reversal: null }, enrollment: null, created: true };
}
