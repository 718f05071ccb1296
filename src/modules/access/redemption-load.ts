import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { getSubsidyRows, type SubsidyRow } from '../subsidy/index.js';
import { type Evidence, gatherEvidence, type Learner } from './evaluate.js';
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

/** The load step of a redemption: what it reads before taking any lock. */
export async function loadRedemption(
  ctx: AppContext,
  actor: Principal,
  request: RedeemRequest,
): Promise<LoadedRedemption> {
  const policy = await policies.getById(ctx.db.kysely, request.policyUuid);
  if (!policy) throw new NotFound(`No policy ${request.policyUuid}.`, 'policy_not_found');
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
