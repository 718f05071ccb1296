import type { AppContext } from '../../context.js';
import type { Executor, Trx } from '../../database.js';
import { DomainError } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { assignmentForContent } from '../assignments/index.js';
import { findLiveRedemption, type Redemption, redeemInTransaction } from '../subsidy/index.js';
import * as attempts from './attempts.repository.js';
import { Batcher, type BatcherStats } from './batcher.js';
import { usesAssignments } from './bnr.js';
import { adminContacts } from './can-redeem.js';
import { type Evidence, isLateRedemptionAllowed, judge } from './evaluate.js';
import { fulfilledRedemption } from './lms-redemption.js';
import { lockSpendForRedemption } from './locked-spend.js';
import * as policies from './policy.repository.js';
import { REASONS } from './reasons.js';
import { type BatchOutcome, redeemBatch } from './redeem-batch.js';
import {
  type LoadedRedemption,
  loadRedemption,
  type RedeemAsk,
  type RedeemRequest,
} from './redemption-load.js';
import { attemptRow, recordFailure, recordRedemption } from './redemption-records.js';
import { refusal } from './refusal.js';
import type { PolicyRow } from './schema.js';

export interface RedeemOutcome {
  redemption: Redemption;
  policy: PolicyRow;
}

/**
 * Redeems content through one policy. Redemptions of one policy that arrive together go as a
 * batch (group commit, redeem-batch.ts): loaded together, then one transaction for all. Forced
 * redemptions, policies that use assignments and the redemptions of a batch that failed as a
 * whole take the single path here: load what does not depend on the locks, then one transaction
 * that locks the policy row and the subsidy's ledger row (policy before ledger, always), decides
 * with the spend read once under them, and writes the spend, the enrollment and the attempt.
 * Either way policy, per-learner and subsidy limits hold under any concurrency and across any
 * number of Campus processes (queries/redeem.sql shows the SQL), and every call leaves an
 * attempt row (a refusal on the single path records its own once the transaction has rolled back).
 */
export async function redeemThroughPolicy(
  ctx: AppContext,
  actor: Principal,
  request: RedeemRequest,
): Promise<RedeemOutcome> {
  if (!request.forced) {
    const turn = await batchesOf(ctx).submit(request.policyUuid, { actor, request });
    if ('value' in turn && !('alone' in turn.value)) {
      if ('error' in turn.value) throw turn.value.error;
      // The batch has committed: each redemption of it asks the LMS on its own, no lock held.
      return { redemption: await fulfilledRedemption(ctx, turn.value.redemption), policy: turn.value.policy };
    }
    // The policy uses assignments, or the batch failed as a whole (logged once): it goes alone.
  }
  // Waiving deadlines is an operator's decision, whoever the redemption is for.
  if (request.forced) requireOperator(actor);
  const loaded = await loadRedemption(ctx, actor, request);
  let redemption: Redemption;
  try {
    redemption = await ctx.db.transaction((trx) => redeemUnderLocks(ctx, trx, loaded));
  } catch (err) {
    await recordFailure(ctx, loaded, err);
    throw err;
  }
  // Committed, and no lock held: the LMS, when there is one, enrolls the learner now.
  return { redemption: await fulfilledRedemption(ctx, redemption), policy: loaded.policy };
}

/** The largest batch: enough to take a burst in one lock hold, small enough to keep statements short. */
const MAX_BATCH = 64;

const batches = new WeakMap<AppContext, Batcher<RedeemAsk, BatchOutcome>>();

/** The process's group commit of redemptions, one line per policy (redeem-batch.ts). */
function batchesOf(ctx: AppContext): Batcher<RedeemAsk, BatchOutcome> {
  let found = batches.get(ctx);
  if (!found) {
    found = new Batcher(async (policyUuid, asks, ready) => {
      try {
        return await redeemBatch(ctx, policyUuid, asks, ready);
      } catch (err) {
        ctx.log.warn({ err, size: asks.length }, 'a batch of redemptions failed; each is retried alone');
        throw err;
      }
    }, MAX_BATCH);
    batches.set(ctx, found);
  }
  return found;
}

/** How the process's redemptions were batched so far (benchmarks and tests read it). */
export function redemptionBatchStats(ctx: AppContext): BatcherStats {
  return { ...batchesOf(ctx).stats };
}

/** The transaction: lock, decide, write. */
async function redeemUnderLocks(ctx: AppContext, trx: Trx, loaded: LoadedRedemption): Promise<Redemption> {
  const { request, learner, before } = loaded;
  const policy = await policies.lockPolicy(trx, loaded.policy.uuid);
  const locked = await lockSpendForRedemption(ctx, trx, policy, loaded.subsidy, learner.lmsUserId);
  const evidence: Evidence = {
    ...before,
    spend: locked.spend,
    learnerTotals: locked.learnerTotals,
    // Re-read under the policy lock: a cancel or an expiry takes the same lock.
    assignments: await assignmentsUnderLock(trx, policy, learner.lmsUserId, request.contentKey, before),
  };
  const assignment = evidence.assignments.get(policy.uuid)?.get(request.contentKey);
  const verdict = judge(policy, request.contentKey, evidence, {
    skipEnrollmentDeadline: request.forced !== undefined,
  });
  if (!verdict.redeemable) return heldRedemption(ctx, trx, loaded, policy, verdict.reason ?? 'unknown');

  const late = isLateRedemptionAllowed(policy, evidence.now) || request.forced !== undefined;
  let redemption: Redemption;
  try {
    redemption = await redeemInTransaction(ctx, trx, {
      subsidyUuid: policy.subsidy_uuid,
      lmsUserId: learner.lmsUserId,
      contentKey: request.contentKey,
      policyUuid: policy.uuid,
      // An assignment redeems at the price frozen when it was allocated.
      requestedPriceCents: assignment
        ? -assignment.content_quantity
        : (request.forced?.contentPriceCents ?? null),
      metadata: request.metadata,
      allowLateEnrollment: late,
      throughLms: Boolean(ctx.lms),
      prefetched: {
        facts: before.facts.get(request.contentKey) ?? null,
        learnerEmail: before.learnerEmail,
        subsidy: loaded.subsidy,
        lockedLedger: locked.ledger,
      },
    });
  } catch (err) {
    // Another policy spent the subsidy between the check and the ledger lock.
    if (err instanceof DomainError && err.errorCode === 'ledger_balance_exceeded') {
      throw refusal(
        await adminContacts(trx, policy.enterprise_customer_uuid),
        policy,
        REASONS.notEnoughValue,
      );
    }
    if (assignment) loaded.failedAssignment = assignment.uuid;
    throw err;
  }
  await recordRedemption(ctx, trx, loaded, policy, redemption, assignment?.uuid ?? null);
  return redemption;
}

/**
 * A refused redemption: a learner who already holds this content through the policy gets it back
 * (an idempotent redeem), even when the policy has since been spent down; anyone else the reason.
 */
async function heldRedemption(
  ctx: AppContext,
  trx: Trx,
  loaded: LoadedRedemption,
  policy: PolicyRow,
  reason: string,
): Promise<Redemption> {
  const held = await findLiveRedemption(trx, {
    subsidyUuid: policy.subsidy_uuid,
    lmsUserId: loaded.learner.lmsUserId,
    contentKey: loaded.request.contentKey,
    policyUuid: policy.uuid,
  });
  if (!held) throw refusal(await adminContacts(trx, policy.enterprise_customer_uuid), policy, reason);
  await attempts.insertAttempt(
    trx,
    attemptRow(ctx, loaded, { outcome: 'existing', transactionUuid: held.transaction.uuid }),
  );
  return held;
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
