import { BusinessRule } from '../../shared/errors.js';
import type { AssignmentRow } from '../assignments/index.js';
import type { SpendTotals } from '../ledger/index.js';
import { usesAssignments } from './bnr.js';
import type { ContentFacts } from './content.js';
import { REASONS, type Reason } from './reasons.js';
import type { PolicyRow } from './schema.js';
import type { PolicySpend } from './spend.js';

export interface Learner {
  lmsUserId: number;
  /** The learner's own token already names the enterprise: no membership lookup needed. */
  membershipProven: boolean;
}

/** Everything the checks need, read in a bounded number of queries for all policies and keys at once. */
export interface Evidence {
  now: Date;
  isMember: boolean;
  learnerGroups: Set<string>;
  policyGroups: Map<string, string[]>;
  /** catalog uuid → content key → contained */
  contains: Map<string, Record<string, boolean>>;
  facts: Map<string, ContentFacts | null>;
  spend: Map<string, PolicySpend>;
  learnerTotals: Map<string, SpendTotals>;
  /** The learner's email, which also finds assignments made before they first signed in. */
  learnerEmail: string | null;
  /** Policies that use assignments only: policy uuid → content key → the learner's assignment for it. */
  assignments: Map<string, Map<string, AssignmentRow | undefined>>;
}

export const isLateRedemptionAllowed = (p: PolicyRow, now: Date) =>
  p.late_redemption_allowed_until !== null && now < p.late_redemption_allowed_until;

/** `spent + price > limit`: reaching a limit exactly is allowed. */
export const wouldExceed = (spent: number, price: number, limit: number) => spent + price > limit;

export interface Verdict {
  policy: PolicyRow;
  redeemable: boolean;
  reason: Reason | null;
  priceCents: number | null;
}

/**
 * One policy's answer for one content key, with the reference's checks in its order: policy,
 * learner, catalog, deadline, subsidy, policy limit, per-learner limits. Pending redemptions count
 * as spent (they are in the ledger totals the moment they are reserved).
 */
export function judge(
  policy: PolicyRow,
  contentKey: string,
  e: Evidence,
  options: { skipEnrollmentDeadline?: boolean } = {},
): Verdict {
  const refuse = (reason: Reason, priceCents: number | null = null): Verdict => ({
    policy,
    redeemable: false,
    reason,
    priceCents,
  });
  if (!policy.active || policy.retired) return refuse(REASONS.policyExpired);
  if (!e.isMember) return refuse(REASONS.learnerNotInEnterprise);
  const groups = e.policyGroups.get(policy.uuid) ?? [];
  if (groups.length > 0 && !groups.some((g) => e.learnerGroups.has(g)))
    return refuse(REASONS.learnerNotInGroup);
  if (!e.contains.get(policy.catalog_uuid)?.[contentKey]) return refuse(REASONS.contentNotInCatalog);
  const facts = e.facts.get(contentKey);
  if (!facts) return refuse(REASONS.contentNotInCatalog);
  const lateAllowed = isLateRedemptionAllowed(policy, e.now);
  if (!options.skipEnrollmentDeadline && !lateAllowed && facts.enrollBy && e.now > facts.enrollBy) {
    return refuse(REASONS.beyondEnrollmentDeadline);
  }
  // Assigned credit, and browse & request (an approved request is an assignment).
  const assigned = usesAssignments(policy);
  const assignment = assigned ? e.assignments.get(policy.uuid)?.get(contentKey) : undefined;
  if (assigned) {
    const refusalByState: Record<string, Reason> = {
      cancelled: REASONS.assignmentCancelled,
      errored: REASONS.assignmentFailed,
      expired: REASONS.assignmentExpired,
      reversed: REASONS.assignmentReversed,
    };
    if (assignment?.state !== 'allocated') {
      return refuse((assignment && refusalByState[assignment.state]) ?? REASONS.notAssigned);
    }
  }
  // An assignment freezes its price at allocation; other policies charge the catalog price.
  const price = assignment ? -assignment.content_quantity : facts.priceCents;
  if (price === null) {
    throw new BusinessRule(
      'content_price_unavailable',
      `Could not determine price for content_key: ${contentKey}`,
    );
  }
  const spend = e.spend.get(policy.uuid);
  if (!spend?.isSubsidyActive) return refuse(REASONS.subsidyExpired, price);
  if (spend.subsidyBalance < price) return refuse(REASONS.notEnoughValue, price);
  // Redeeming an allocated assignment moves its amount from allocated to redeemed: it is already
  // counted in `allocated`, so it must not be counted twice (else a budget filled by allocations
  // would refuse the very learners it was allocated to).
  const ownAllocation = assignment ? price : 0;
  if (
    policy.spend_limit !== null &&
    wouldExceed(spend.redeemed + spend.allocated - ownAllocation, price, policy.spend_limit)
  ) {
    return refuse(REASONS.policySpendLimitReached, price);
  }
  // An assignment is the admin's decision: per-learner limits do not apply to it (the reference
  // redeems a bnr-enabled spend policy as an assigned one).
  if (assigned) return { policy, redeemable: true, reason: null, priceCents: price };
  const mine = e.learnerTotals.get(policy.uuid) ?? { spentCents: 0, redemptions: 0 };
  switch (policy.policy_type) {
    case 'PerLearnerEnrollmentCreditAccessPolicy':
      if (
        policy.per_learner_enrollment_limit !== null &&
        mine.redemptions >= policy.per_learner_enrollment_limit
      ) {
        return refuse(REASONS.learnerMaxEnrollments, price);
      }
      break;
    case 'PerLearnerSpendCreditAccessPolicy':
      if (
        policy.per_learner_spend_limit !== null &&
        wouldExceed(mine.spentCents, price, policy.per_learner_spend_limit)
      ) {
        return refuse(REASONS.learnerMaxSpend, price);
      }
      break;
    case 'AssignedLearnerCreditAccessPolicy':
      break;
  }
  return { policy, redeemable: true, reason: null, priceCents: price };
}

const PRIORITY: Record<PolicyRow['policy_type'], number> = {
  AssignedLearnerCreditAccessPolicy: 0,
  PerLearnerEnrollmentCreditAccessPolicy: 1,
  PerLearnerSpendCreditAccessPolicy: 1,
};

/**
 * The order policies are tried in: assigned credit first, then the subsidy expiring soonest, then
 * the smaller balance (spend what would be lost first); ties keep newest-first.
 */
export function byPriority(candidates: PolicyRow[], spend: Map<string, PolicySpend>): PolicyRow[] {
  const expiry = (p: PolicyRow) =>
    spend.get(p.uuid)?.subsidy?.expiration_datetime?.getTime() ?? Number.POSITIVE_INFINITY;
  const balance = (p: PolicyRow) => spend.get(p.uuid)?.subsidyBalance ?? 0;
  const rank = (p: PolicyRow) => (usesAssignments(p) ? 0 : PRIORITY[p.policy_type]);
  return [...candidates].sort(
    (a, b) => rank(a) - rank(b) || expiry(a) - expiry(b) || balance(a) - balance(b),
  );
}
