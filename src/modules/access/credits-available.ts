import type { AppContext } from '../../context.js';
import { hasRole, type Principal } from '../../shared/principal.js';
import { type LearnerAssignmentView, learnerAssignmentsForCredits } from '../assignments/index.js';
import { gatherEvidence } from './batch-evidence.js';
import { bnrEnabled, type LearnerRequestItem, learnerRequestsOf } from './bnr.js';
import type { Learner } from './evaluate.js';
import { learnerFor } from './learner.js';
import * as policies from './policy.repository.js';
import { type PolicyModelView, policyModelView } from './policy-model.view.js';
import type { PolicyRow } from './schema.js';

export interface CreditAvailable extends PolicyModelView {
  remaining_balance_per_user: number | null;
  remaining_balance: number;
  /**
   * Campus's own field: what can still be spent through the policy (its limit left, less what is
   * allocated, never more than the subsidy holds) — `remaining_balance` is the subsidy's alone.
   */
  spend_available_usd_cents: number;
  subsidy_expiration_date: string | null;
  learner_content_assignments: LearnerAssignmentView[];
  learner_requests: LearnerRequestItem[];
  group_associations: string[];
}

/**
 * The policies a learner can use right now in an enterprise, newest first, with
 * what is left in the subsidy and for this learner. A plain array: the learner portal reads it whole.
 */
export async function creditsAvailable(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; lmsUserId?: number; origin: string },
): Promise<CreditAvailable[]> {
  const learner = creditsReaderFor(actor, input.enterpriseCustomerUuid, input.lmsUserId);
  const db = ctx.db.kysely;
  const candidates = await policies.redeemableOfCustomer(db, input.enterpriseCustomerUuid);
  if (candidates.length === 0) return [];
  const e = await gatherEvidence(ctx, db, input.enterpriseCustomerUuid, candidates, learner, []);
  const assigned = candidates.filter((p) => p.policy_type === 'AssignedLearnerCreditAccessPolicy');
  const assignmentViews = assigned.length
    ? await learnerAssignmentsForCredits(ctx, db, {
        configurationUuids: assigned.flatMap((p) =>
          p.assignment_configuration_uuid ? [p.assignment_configuration_uuid] : [],
        ),
        lmsUserId: learner.lmsUserId,
        learnerEmail: e.learnerEmail,
        subsidyExpirationByConfiguration: new Map(
          assigned.map((p) => [
            p.assignment_configuration_uuid ?? '',
            e.spend.get(p.uuid)?.subsidy?.expiration_datetime ?? null,
          ]),
        ),
      })
    : [];
  const requests = await learnerRequestsOf(db, {
    policyUuids: candidates.filter(bnrEnabled).map((p) => p.uuid),
    lmsUserId: learner.lmsUserId,
  });
  const out: CreditAvailable[] = [];
  for (const p of candidates) {
    const spend = e.spend.get(p.uuid);
    const groups = e.policyGroups.get(p.uuid) ?? [];
    if (!spend || !e.isMember) continue;
    if (groups.length > 0 && !groups.some((g) => e.learnerGroups.has(g))) continue;
    if (p.policy_type === 'AssignedLearnerCreditAccessPolicy') {
      // Assigned credit shows while the learner has assignments they have not dismissed, even
      // after the subsidy expired (so that expired and cancelled ones can be acknowledged).
      const mine = assignmentViews.filter(
        (a) => a.assignment_configuration === p.assignment_configuration_uuid,
      );
      if (mine.length === 0) continue;
      out.push({
        ...policyModelView(p, input.origin, e.now),
        remaining_balance_per_user: null,
        remaining_balance: spend.subsidyBalance,
        spend_available_usd_cents: spend.available,
        subsidy_expiration_date: spend.subsidy?.expiration_datetime?.toISOString() ?? null,
        learner_content_assignments: mine,
        learner_requests: [],
        group_associations: groups,
      });
      continue;
    }
    if (!spend.isSubsidyActive || spend.subsidyBalance <= 0) continue;
    if (p.spend_limit !== null && spend.redeemed >= p.spend_limit) continue;
    const remainingPerUser = remainingForLearner(p, e.learnerTotals.get(p.uuid));
    // A bnr-enabled policy stays listed when the learner's own limit is spent: requests still apply.
    if (remainingPerUser !== null && remainingPerUser <= 0 && !bnrEnabled(p)) continue;
    out.push({
      ...policyModelView(p, input.origin, e.now),
      remaining_balance_per_user: remainingPerUser,
      remaining_balance: spend.subsidyBalance,
      spend_available_usd_cents: spend.available,
      subsidy_expiration_date: spend.subsidy?.expiration_datetime?.toISOString() ?? null,
      learner_content_assignments: [],
      learner_requests: requests.get(p.uuid) ?? [],
      group_associations: groups,
    });
  }
  return out;
}

/**
 * Whose credits the caller may read: as for redemption (learners their own, operators anyone's),
 * and besides, an admin of the enterprise any learner's there (the admin portal's People Management
 * reads a member's budgets). Membership of that learner is then looked up, never assumed: someone
 * outside the enterprise gets no policies. An admin of another enterprise is refused.
 */
function creditsReaderFor(actor: Principal, enterpriseCustomerUuid: string, lmsUserId?: number): Learner {
  const forAnother = lmsUserId !== undefined && lmsUserId !== actor.lmsUserId;
  if (forAnother && hasRole(actor, 'enterprise_admin', enterpriseCustomerUuid)) {
    return { lmsUserId, membershipProven: false };
  }
  return learnerFor(actor, enterpriseCustomerUuid, lmsUserId);
}

/** Enrollments (enrollment cap) or cents (spend cap) the learner has left; null when uncapped. */
function remainingForLearner(
  p: PolicyRow,
  mine: { spentCents: number; redemptions: number } | undefined,
): number | null {
  const used = mine ?? { spentCents: 0, redemptions: 0 };
  if (p.policy_type === 'PerLearnerEnrollmentCreditAccessPolicy' && p.per_learner_enrollment_limit !== null) {
    return Math.max(0, p.per_learner_enrollment_limit - used.redemptions);
  }
  if (p.policy_type === 'PerLearnerSpendCreditAccessPolicy' && p.per_learner_spend_limit !== null) {
    return Math.max(0, p.per_learner_spend_limit - used.spentCents);
  }
  return null;
}
