import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/db.js';
import { BusinessRule, DomainError, NotFound } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { acceptAssignment, assignmentForContent, markAssignmentErrored } from '../assignments/index.js';
import {
  findLiveRedemption,
  getSubsidyRows,
  type Redemption,
  redeemInTransaction,
} from '../subsidy/index.js';
import * as attempts from './attempts.repository.js';
import { usesAssignments } from './bnr.js';
import { adminContacts } from './can-redeem.js';
import { type Evidence, gatherEvidence, isLateRedemptionAllowed, judge } from './evaluate.js';
import { learnerFor } from './learner.js';
import { lockSpendForRedemption } from './locked-spend.js';
import * as policies from './policy.repository.js';
import { REASONS, reasonObjects } from './reasons.js';
import type { AttemptOutcome, PolicyRow } from './schema.js';

export interface RedeemRequest {
  policyUuid: string;
  lmsUserId: number;
  contentKey: string;
  metadata: Record<string, unknown> | null;
  /** Forced redemption (operators): enrollment deadlines are waived, and only they. */
  forced?: { reason: string; contentPriceCents?: number | null };
}

export interface RedeemOutcome {
  redemption: Redemption;
  policy: PolicyRow;
}

async function refusal(
  ctx: AppContext,
  db: Executor,
  policy: PolicyRow,
  reason: string,
): Promise<BusinessRule> {
  const admins = await adminContacts(ctx, policy.enterprise_customer_uuid, db);
  const reasons = reasonObjects([{ reason, policyUuid: policy.uuid }], admins);
  return new BusinessRule(reason, reasons[0]?.user_message ?? `Cannot redeem: ${reason}.`, { reasons });
}

/**
 * Redeems content through one policy. One database transaction: lock the policy row, then the
 * subsidy's ledger row (policy before ledger, always), read the spend once under them, run every
 * check, then write the spend, the enrollment and the attempt (queries/redeem.sql shows the SQL).
 * So policy, per-learner and subsidy limits hold under any concurrency and across any number of
 * Campus processes, with no separate lock service and no 429. Every call leaves an attempt row.
 */
export async function redeemThroughPolicy(
  ctx: AppContext,
  actor: Principal,
  request: RedeemRequest,
): Promise<RedeemOutcome> {
  // Waiving deadlines is an operator's decision, whoever the redemption is for.
  if (request.forced) requireOperator(actor);
  const found = await policies.getById(ctx.db.kysely, request.policyUuid);
  if (!found) throw new NotFound(`No policy ${request.policyUuid}.`, 'policy_not_found');
  const learner = learnerFor(actor, found.enterprise_customer_uuid, request.lmsUserId);
  // Catalog, membership and group facts do not depend on the locks: read them first. The spend
  // figures do, and are read once, under the policy lock.
  const [before, [subsidyRow]] = await Promise.all([
    gatherEvidence(
      ctx,
      ctx.db.kysely,
      found.enterprise_customer_uuid,
      [found],
      learner,
      [request.contentKey],
      {
        spend: false,
      },
    ),
    getSubsidyRows(ctx.db.kysely, [found.subsidy_uuid]),
  ]);
  const learnerEmail = before.learnerEmail;
  let failedAssignment: string | null = null;
  try {
    const result = await ctx.db.transaction(async (trx) => {
      const policy = (await policies.lockById(trx, found.uuid)) as PolicyRow;
      const locked = await lockSpendForRedemption(ctx, trx, policy, subsidyRow ?? null, learner.lmsUserId);
      const evidence: Evidence = {
        ...before,
        spend: locked.spend,
        learnerTotals: locked.learnerTotals,
        // Re-read under the policy lock: a cancel or an expiry takes the same lock.
        assignments: await assignmentsUnderLock(trx, policy, learner.lmsUserId, request.contentKey, before),
      };
      const assignment = evidence.assignments.get(policy.uuid)?.get(request.contentKey);
      const late = isLateRedemptionAllowed(policy, evidence.now) || request.forced !== undefined;
      const attempt = async (o: AttemptOutcome, transactionUuid: string | null) =>
        attempts.insertAttempt(trx, {
          uuid: ctx.ids.uuid(),
          policy_uuid: policy.uuid,
          enterprise_customer_uuid: policy.enterprise_customer_uuid,
          lms_user_id: learner.lmsUserId,
          content_key: request.contentKey,
          outcome: o,
          reason: null,
          detail: request.forced ? request.forced.reason : null,
          transaction_uuid: transactionUuid,
          forced: request.forced !== undefined,
          requested_by_lms_user_id: actor.lmsUserId,
          created: ctx.clock.now(),
        });

      const redeem = () =>
        redeemInTransaction(trx, ctx, {
          subsidyUuid: policy.subsidy_uuid,
          lmsUserId: learner.lmsUserId,
          contentKey: request.contentKey,
          policyUuid: policy.uuid,
          // An assignment redeems at the price frozen when it was allocated.
          requestedPriceCents: assignment
            ? -assignment.content_quantity
            : (request.forced?.contentPriceCents ?? null),
          metadata: late ? { ...(request.metadata ?? {}), allow_late_enrollment: true } : request.metadata,
          allowLateEnrollment: late,
          prefetched: {
            facts: before.facts.get(request.contentKey) ?? null,
            learnerEmail,
            subsidy: subsidyRow ?? null,
            lockedLedger: locked.ledger,
          },
        });

      const verdict = judge(policy, request.contentKey, evidence, {
        skipEnrollmentDeadline: request.forced !== undefined,
      });
      if (!verdict.redeemable) {
        // A learner who already holds this content through the policy gets it back (idempotent
        // redeem), even when the policy has since been spent down.
        const held = await findLiveRedemption(trx, {
          subsidyUuid: policy.subsidy_uuid,
          lmsUserId: learner.lmsUserId,
          contentKey: request.contentKey,
          policyUuid: policy.uuid,
        });
        if (held) {
          await attempt('existing', held.transaction.uuid);
          return held;
        }
        throw await refusal(ctx, trx, policy, verdict.reason ?? 'unknown');
      }
      let redemption: Redemption;
      try {
        redemption = await redeem();
      } catch (err) {
        // Another policy spent the subsidy between the check and the ledger lock.
        if (err instanceof DomainError && err.errorCode === 'ledger_balance_exceeded') {
          throw await refusal(ctx, trx, policy, REASONS.notEnoughValue);
        }
        if (assignment) failedAssignment = assignment.uuid;
        throw err;
      }
      if (assignment && redemption.created) {
        await acceptAssignment(trx, ctx, {
          assignmentUuid: assignment.uuid,
          lmsUserId: learner.lmsUserId,
          transactionUuid: redemption.transaction.uuid,
          contentKey: redemption.transaction.content_key ?? request.contentKey,
        });
      }
      await attempt(redemption.created ? 'redeemed' : 'existing', redemption.transaction.uuid);
      if (request.forced) {
        const now = ctx.clock.now();
        await attempts.insertForced(trx, {
          uuid: ctx.ids.uuid(),
          policy_uuid: policy.uuid,
          lms_user_id: learner.lmsUserId,
          course_run_key: request.contentKey,
          content_price_cents: request.forced.contentPriceCents ?? null,
          reason: request.forced.reason,
          forced_by_lms_user_id: actor.lmsUserId,
          transaction_uuid: redemption.transaction.uuid,
          redeemed_at: redemption.transaction.modified,
          created: now,
          modified: now,
        });
      }
      return redemption;
    });
    return { redemption: result, policy: found };
  } catch (err) {
    // The transaction rolled back: record the refusal on its own.
    const reason = err instanceof DomainError ? err.errorCode : 'internal_error';
    if (failedAssignment) {
      await markAssignmentErrored(ctx.db.kysely, ctx, {
        assignmentUuid: failedAssignment,
        reason: err instanceof Error ? err.message : String(err),
      }).catch((markErr: unknown) => ctx.log.error({ err: markErr }, 'could not mark an assignment errored'));
    }
    const outcome: AttemptOutcome = err instanceof BusinessRule ? 'refused' : 'error';
    await attempts
      .insertAttempt(ctx.db.kysely, {
        uuid: ctx.ids.uuid(),
        policy_uuid: found.uuid,
        enterprise_customer_uuid: found.enterprise_customer_uuid,
        lms_user_id: learner.lmsUserId,
        content_key: request.contentKey,
        outcome,
        reason,
        detail: err instanceof Error ? err.message.slice(0, 1000) : String(err),
        transaction_uuid: null,
        forced: request.forced !== undefined,
        requested_by_lms_user_id: actor.lmsUserId,
        created: ctx.clock.now(),
      })
      // The refusal is what the caller needs to see, even if its audit row cannot be written.
      .catch((auditErr: unknown) =>
        ctx.log.error({ err: auditErr }, 'could not record a redemption attempt'),
      );
    throw err;
  }
}

/** The learner's assignment for the content, read inside the transaction (policies that use assignments). */
async function assignmentsUnderLock(
  trx: Executor,
  policy: PolicyRow,
  lmsUserId: number,
  contentKey: string,
  before: Evidence,
): Promise<Evidence['assignments']> {
  if (!usesAssignments(policy) || !policy.assignment_configuration_uuid) return new Map();
  const facts = before.facts.get(contentKey);
  const assignment = await assignmentForContent(trx, {
    configurationUuid: policy.assignment_configuration_uuid,
    lmsUserId,
    learnerEmail: before.learnerEmail,
    contentKey,
    parentContentKey: facts && facts.runKey === contentKey ? facts.courseKey : null,
  });
  return new Map([[policy.uuid, new Map([[contentKey, assignment]])]]);
}
