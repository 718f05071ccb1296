import type { AppContext } from '../../context.js';
import { BusinessRule, Conflict } from '../../shared/errors.js';
import type { CommerceFacts } from '../catalog/index.js';
import {
  type CommittedSpendInput,
  type LedgerRow,
  redemptionIdempotencyKey,
  type TransactionWithReversal,
} from '../ledger/index.js';
import { chargePrice } from './price.js';
import type { EnrollmentRow, SubsidyRow } from './schema.js';
import { isActive } from './subsidy.access.js';

export interface RedeemInput {
  subsidyUuid: string;
  lmsUserId: number;
  contentKey: string;
  policyUuid: string | null;
  idempotencyKey?: string | null;
  requestedPriceCents?: number | null;
  metadata?: Record<string, unknown> | null;
  /** Enroll even when the run's enrollment window has closed (forced redemption). */
  allowLateEnrollment?: boolean;
  /**
   * The LMS enrolls the learner, after the transaction (lms-fulfillment.ts): the spend is written
   * pending, and the enrollment when the LMS has answered. Otherwise Campus enrolls at once.
   */
  throughLms?: boolean;
  /**
   * Catalog facts and the learner's email, when the caller read them before taking its locks, so
   * that the locks are held only for the statements that decide and write.
   */
  prefetched?: {
    facts: CommerceFacts | null;
    learnerEmail: string | null;
    subsidy?: SubsidyRow | null;
    /** The subsidy's ledger row, when the caller has locked it in this transaction. */
    lockedLedger?: LedgerRow | null;
  };
}

/** The spend a redemption would write (without its locked ledger row) and the enrollment it pays for. */
export interface NewRedemption {
  kind: 'new';
  spend: Omit<CommittedSpendInput, 'lockedLedger' | 'freshKey'>;
  /** The enrollment, but for the uuid of the transaction that pays for it. */
  enrollment: Omit<EnrollmentRow, 'transaction_uuid'>;
}

/** What a redemption comes to: a new spend and enrollment, or the learner's live one handed back. */
export type RedemptionPlan = NewRedemption | { kind: 'existing'; transaction: TransactionWithReversal };

const isLive = (t: TransactionWithReversal) => t.state !== 'failed' && t.reversal === null;

/**
 * The run a redemption enrolls in, if the subsidy can pay for anything now and the content has
 * one: the checks that come before the learner's history is read.
 */
export function redeemableRun(
  ctx: AppContext,
  subsidy: SubsidyRow,
  contentKey: string,
  facts: CommerceFacts | null | undefined,
): { runKey: string; facts: CommerceFacts } {
  if (!isActive(subsidy, ctx.clock.now())) {
    throw new BusinessRule(
      'inactive_subsidy_creation_error',
      'Cannot create a transaction in an inactive subsidy.',
    );
  }
  if (!facts?.runKey)
    throw new BusinessRule('content_not_found', `No course run for ${contentKey} in the catalog.`);
  return { runKey: facts.runKey, facts };
}

/**
 * Decides a redemption from what was read under the ledger lock, writing nothing — the rules of a
 * redemption in one place, for one redemption (redeemInTransaction) and for a batch written
 * together (RedemptionBatch). A learner who holds a committed, non-reversed redemption of the run
 * gets it back (no second charge); one still in flight is a conflict; a closed run is refused
 * unless late enrollment is allowed; the price is the catalog's or a requested one near it.
 */
export function planRedemption(
  ctx: AppContext,
  input: RedeemInput,
  read: {
    subsidy: SubsidyRow;
    facts: CommerceFacts;
    runKey: string;
    learnerEmail: string | null;
    /** The learner's transactions of the run in the subsidy's ledger, oldest first. */
    history: TransactionWithReversal[];
  },
): RedemptionPlan {
  const { subsidy, facts, runKey, history } = read;
  const live = history.find(isLive);
  if (live?.state === 'committed') return { kind: 'existing', transaction: live };
  if (live) {
    throw new Conflict(
      `A redemption of ${runKey} for this learner is still in progress (${live.uuid}).`,
      'redemption_in_progress',
    );
  }
  if (!facts.isEnrollable && !input.allowLateEnrollment) {
    throw new BusinessRule('enrollment_error', `The course run ${runKey} is not open for enrollment.`);
  }
  const price = chargePrice(runKey, facts.priceCents, input.requestedPriceCents);
  const key =
    input.idempotencyKey ??
    redemptionIdempotencyKey({
      subsidyUuid: subsidy.uuid,
      lmsUserId: input.lmsUserId,
      contentKey: runKey,
      policyUuid: input.policyUuid ?? '',
      priorInactiveTransactionUuids: history.map((t) => t.uuid),
    });
  const enrollmentUuid = ctx.ids.uuid();
  const now = ctx.clock.now();
  return {
    kind: 'new',
    spend: {
      ledgerUuid: subsidy.ledger_uuid,
      fulfillmentIdentifier: input.throughLms ? null : enrollmentUuid,
      pending: input.throughLms === true,
      amount: price,
      idempotencyKey: key,
      lmsUserId: input.lmsUserId,
      lmsUserEmail: read.learnerEmail,
      contentKey: runKey,
      parentContentKey: facts.courseKey,
      contentTitle: facts.courseTitle,
      courseRunStartDate: facts.start,
      subsidyAccessPolicyUuid: input.policyUuid,
      metadata: spendMetadata(input),
    },
    enrollment: {
      uuid: enrollmentUuid,
      lms_user_id: input.lmsUserId,
      enterprise_customer_uuid: subsidy.enterprise_customer_uuid,
      subsidy_uuid: subsidy.uuid,
      course_run_key: runKey,
      course_key: facts.courseKey,
      mode: facts.paidMode,
      is_active: true,
      unenrolled_at: null,
      lms_fulfillment_uuid: null,
      created: now,
      modified: now,
    },
  };
}

/**
 * The metadata stored on the spend. `allow_late_enrollment` makes the LMS force the enrollment past
 * its own deadlines (lms-fulfillment.ts), so it comes only from `allowLateEnrollment`, which the
 * caller decides (the policy's late-redemption window, a forced redemption, an operator), never
 * from metadata a learner sent with their redeem call.
 */
function spendMetadata(input: RedeemInput): Record<string, unknown> {
  const { allow_late_enrollment: _ignored, ...sent } = input.metadata ?? {};
  return input.allowLateEnrollment ? { ...sent, allow_late_enrollment: true } : sent;
}
