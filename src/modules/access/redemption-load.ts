import type { AppContext } from '../../context.js';
import { DomainError, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { getSubsidyRows, type SubsidyRow } from '../subsidy/index.js';
import { evidenceOfLearners, gatherEvidence } from './batch-evidence.js';
import { usesAssignments } from './bnr.js';
import type { Evidence, Learner } from './evaluate.js';
import { learnerFor } from './learner.js';
import * as policies from './policy.repository.js';
import type { PolicyRow } from './schema.js';

export interface RedeemRequest {
  policyUuid: string;
  lmsUserId: number;
  contentKey: string;
  metadata: Record<string, unknown> | null;
  /** Forced redemption (operators): enrollment deadlines are waived, and only they. */
  forced?: { reason: string; contentPriceCents?: number | null };
}

/** What a redemption reads before its locks: none of it changes under them. */
export interface LoadedRedemption {
  request: RedeemRequest;
  actor: Principal;
  /** The policy row as read before the lock (its uuid and customer do not change). */
  policy: PolicyRow;
  learner: Learner;
  /** Catalog, membership and group facts; the spend figures are read under the locks. */
  before: Evidence;
  subsidy: SubsidyRow | null;
  /**
   * Set when the enrollment step failed for an assignment: once the transaction has rolled back,
   * the assignment is marked errored (a write that must outlive the rollback).
   */
  failedAssignment: string | null;
}

const policyNotFound = (uuid: string) => new NotFound(`No policy ${uuid}.`, 'policy_not_found');

/** One redemption as asked: by whom, and what. */
export interface RedeemAsk {
  actor: Principal;
  request: RedeemRequest;
}

/**
 * The load step of a batch of redemptions through one policy: what `loadRedemption` reads, for
 * all of them in a few statements (batch-evidence.ts). An ask the actor may not make gets its
 * refusal. `alone` when the batch cannot go: the policy uses assignments, or has no subsidy.
 */
export async function loadRedemptions(
  ctx: AppContext,
  policyUuid: string,
  asks: RedeemAsk[],
): Promise<(LoadedRedemption | DomainError)[] | 'alone'> {
  const db = ctx.db.kysely;
  const policy = await policies.getById(db, policyUuid);
  if (!policy) return asks.map(() => policyNotFound(policyUuid));
  if (usesAssignments(policy)) return 'alone';
  const whom = asks.map((ask) => {
    try {
      return { ask, learner: learnerFor(ask.actor, policy.enterprise_customer_uuid, ask.request.lmsUserId) };
    } catch (err) {
      if (err instanceof DomainError) return { ask, refused: err };
      throw err;
    }
  });
  const [evidence, [subsidy]] = await Promise.all([
    evidenceOfLearners(
      ctx,
      db,
      policy.enterprise_customer_uuid,
      [policy],
      whom.flatMap((w) => (w.learner ? [w.learner] : [])),
      asks.map((a) => a.request.contentKey),
      { spend: false },
    ),
    getSubsidyRows(db, [policy.subsidy_uuid]),
  ]);
  if (!subsidy) return 'alone';
  return whom.map(({ ask, learner, refused }) => {
    if (!learner) return refused;
    const before = evidence.get(learner.lmsUserId);
    if (!before) throw new Error(`no evidence for learner ${learner.lmsUserId}`);
    return { ...ask, policy, learner, before, subsidy, failedAssignment: null };
  });
}

/** The load step of a redemption: what it reads before taking any lock. */
export async function loadRedemption(
  ctx: AppContext,
  actor: Principal,
  request: RedeemRequest,
): Promise<LoadedRedemption> {
  const policy = await policies.getById(ctx.db.kysely, request.policyUuid);
  if (!policy) throw policyNotFound(request.policyUuid);
  const learner = learnerFor(actor, policy.enterprise_customer_uuid, request.lmsUserId);
  const [before, [subsidy]] = await Promise.all([
    gatherEvidence(
      ctx,
      ctx.db.kysely,
      policy.enterprise_customer_uuid,
      [policy],
      learner,
      [request.contentKey],
      {
        spend: false,
      },
    ),
    getSubsidyRows(ctx.db.kysely, [policy.subsidy_uuid]),
  ]);
  return { request, actor, policy, learner, before, subsidy: subsidy ?? null, failedAssignment: null };
}
