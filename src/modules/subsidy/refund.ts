import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { BusinessRule, NotFound } from '../../shared/errors.js';
import { hasRole, isOperator, type Principal, requireOperator } from '../../shared/principal.js';
import {
  getTransaction,
  lockRedemption,
  moneyTransaction,
  type ReversalRow,
  reverseTransaction,
  type TransactionWithReversal,
} from '../ledger/index.js';
import * as enrollments from './enrollment.repository.js';
import * as cancellations from './lms-cancellations.repository.js';
import type { EnrollmentRow } from './schema.js';

export const REFUND_WINDOW_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * A learner who unenrolls is refunded iff max(run start, redemption time) + 14 days is still
 * after the moment they unenrolled (strictly: at exactly 14 days it is too late). No start date,
 * no refund.
 */
export function isRefundable(runStart: Date | null, redeemedAt: Date, unenrolledAt: Date): boolean {
  if (!runStart) return false;
  const anchor = Math.max(runStart.getTime(), redeemedAt.getTime());
  return anchor + REFUND_WINDOW_DAYS * DAY_MS > unenrolledAt.getTime();
}

export interface UnenrollOutcome {
  enrollment: EnrollmentRow;
  refunded: boolean;
  reversal: ReversalRow | null;
}

/**
 * Reverses the redemption (ledger, then transaction: reverseTransaction takes them), then locks and
 * ends its enrollment — the lock order of ledger/lock-order.ts, the same for both refund paths.
 */
async function reverseAndCancel(
  ctx: AppContext,
  trx: Trx,
  input: { transactionUuid: string; enrollmentUuid: string; key: string; metadata: Record<string, unknown> },
): Promise<ReversalRow> {
  const { reversal } = await reverseTransaction(ctx, trx, {
    transactionUuid: input.transactionUuid,
    idempotencyKey: input.key,
    metadata: input.metadata,
  });
  const enrollment = await enrollments.lockById(trx, input.enrollmentUuid);
  if (enrollment.is_active) await endEnrollment(ctx, trx, enrollment);
  return reversal;
}

/**
 * Ends an enrollment (locked by the caller); one the LMS made is ended there too, after this
 * transaction commits (the cancel-lms-fulfillments job, retried until done).
 */
async function endEnrollment(ctx: AppContext, trx: Trx, enrollment: EnrollmentRow): Promise<EnrollmentRow> {
  const now = ctx.clock.now();
  const ended = await enrollments.deactivate(trx, enrollment.uuid, now);
  if (enrollment.lms_fulfillment_uuid) {
    await cancellations.queue(trx, {
      uuid: ctx.ids.uuid(),
      transactionUuid: enrollment.transaction_uuid,
      fulfillmentUuid: enrollment.lms_fulfillment_uuid,
      now,
    });
  }
  return ended;
}

/**
 * The learner (or an admin of the enterprise, or an operator) unenrolls: the enrollment ends and,
 * inside the refund window, the redemption is reversed — once, however often this is called, and
 * whether or not an operator reverses it at the same moment: both take the ledger, transaction and
 * enrollment rows in the lock order (ledger/lock-order.ts), so one waits for the other. An
 * enrollment already ended (by an operator's reverse, say) is answered as it is.
 */
export async function unenroll(
  ctx: AppContext,
  actor: Principal,
  enrollmentUuid: string,
): Promise<UnenrollOutcome> {
  return moneyTransaction(ctx.db, async (trx) => {
    const found = await enrollments.getById(trx, enrollmentUuid);
    if (!found) throw new NotFound(`No enrollment ${enrollmentUuid}.`, 'enrollment_not_found');
    const own = found.lms_user_id === actor.lmsUserId;
    if (!own && !isOperator(actor) && !hasRole(actor, 'enterprise_admin', found.enterprise_customer_uuid)) {
      throw new NotFound(`No enrollment ${enrollmentUuid}.`, 'enrollment_not_found');
    }
    // Lock order: ledger → transaction → enrollment; everything below is read under the locks.
    await lockRedemption(trx, found.transaction_uuid);
    const enrollment = await enrollments.lockById(trx, found.uuid);
    const tx = (await getTransaction(trx, found.transaction_uuid)) as TransactionWithReversal;
    if (!enrollment.is_active) return { enrollment, refunded: tx.reversal !== null, reversal: tx.reversal };
    const at = ctx.clock.now();
    if (
      tx.reversal === null &&
      tx.state === 'committed' &&
      isRefundable(tx.course_run_start_date, tx.created, at)
    ) {
      const reversal = await reverseAndCancel(ctx, trx, {
        transactionUuid: tx.uuid,
        enrollmentUuid: enrollment.uuid,
        key: `unenrollment-reversal-${enrollment.uuid}-${at.toISOString()}`,
        metadata: { reason: 'learner_unenrolled', unenrolled_by: actor.lmsUserId },
      });
      return {
        enrollment: (await enrollments.getById(trx, enrollment.uuid)) as EnrollmentRow,
        refunded: true,
        reversal,
      };
    }
    return {
      enrollment: await endEnrollment(ctx, trx, enrollment),
      refunded: false,
      reversal: tx.reversal,
    };
  });
}

/**
 * An operator reverses a redemption (refund) and so cancels its enrollment; repeating it (same
 * key) changes nothing. A redemption already refunded another way — the learner unenrolled, even
 * at the same moment — is a 409 `transaction_already_reversed`, never a second refund.
 */
export async function operatorReverse(
  ctx: AppContext,
  actor: Principal,
  transactionUuid: string,
  input: { idempotencyKey?: string | null; reason?: string | null },
): Promise<TransactionWithReversal> {
  requireOperator(actor);
  return moneyTransaction(ctx.db, async (trx) => {
    const tx = await getTransaction(trx, transactionUuid);
    if (!tx) throw new NotFound(`No transaction ${transactionUuid}.`, 'transaction_not_found');
    // Read without a lock: the enrollment is locked after the ledger and the transaction.
    const enrollment = await enrollments.getByTransaction(trx, tx.uuid);
    const key = input.idempotencyKey ?? `admin-invoked-reverse-${tx.uuid}`;
    if (enrollment) {
      await reverseAndCancel(ctx, trx, {
        transactionUuid: tx.uuid,
        enrollmentUuid: enrollment.uuid,
        key,
        metadata: { reason: input.reason ?? null, reversed_by: actor.lmsUserId },
      });
    } else {
      if (tx.kind !== 'spend')
        throw new BusinessRule('cannot_reverse_non_spend', 'Only redemptions can be reversed.');
      await reverseTransaction(ctx, trx, {
        transactionUuid: tx.uuid,
        idempotencyKey: key,
        metadata: { reversed_by: actor.lmsUserId },
      });
    }
    return (await getTransaction(trx, tx.uuid)) as TransactionWithReversal;
  });
}
