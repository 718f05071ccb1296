/** Why a policy cannot redeem content for a learner: the reference's exact codes. */
export const REASONS = {
  policyExpired: 'policy_expired',
  learnerNotInEnterprise: 'learner_not_in_enterprise',
  learnerNotInGroup: 'learner_not_in_enterprise_group',
  contentNotInCatalog: 'content_not_in_catalog',
  beyondEnrollmentDeadline: 'beyond_enrollment_deadline',
  subsidyExpired: 'subsidy_expired',
  notEnoughValue: 'not_enough_value_in_subsidy',
  policySpendLimitReached: 'policy_spend_limit_reached',
  learnerMaxEnrollments: 'learner_max_enrollments_reached',
  learnerMaxSpend: 'learner_max_spend_reached',
  notAssigned: 'reason_learner_not_assigned_content',
  assignmentCancelled: 'reason_learner_assignment_cancelled',
  assignmentFailed: 'reason_learner_assignment_failed',
  assignmentExpired: 'reason_learner_assignment_expired',
  assignmentReversed: 'reason_learner_assignment_reversed',
} as const;
export type Reason = (typeof REASONS)[keyof typeof REASONS];

const MESSAGES = {
  noFunds: "You can't enroll right now because your organization doesn't have enough funds.",
  noFundsNoAdmins:
    "You can't enroll right now because your organization doesn't have enough funds. Contact your administrator to request more.",
  expiredFunds: "You can't enroll right now because your funds expired.",
  expiredFundsNoAdmins:
    "You can't enroll right now because your funds expired. Contact your administrator for help.",
  limits: "You can't enroll right now because of limits set by your organization.",
  notInCatalog:
    "You can't enroll right now because this course is no longer available in your organization's catalog.",
  deadline: "You can't enroll right now because the enrollment deadline for this course has passed.",
  notInEnterprise:
    "You can't enroll right now because your account is no longer associated with the organization.",
  notAssigned: "You can't enroll right now because this course is not assigned to you.",
  // The reference says "right now" twice; Campus says it once.
  assignmentCanceled:
    "You can't enroll right now because your administrator canceled your course assignment.",
} as const;

/** The sentence a learner sees for a reason; the funds messages depend on whether anyone can be contacted. */
export function userMessage(reason: string, hasAdmins: boolean): string | null {
  switch (reason) {
    case REASONS.policyExpired:
    case REASONS.notEnoughValue:
    case REASONS.policySpendLimitReached:
      return hasAdmins ? MESSAGES.noFunds : MESSAGES.noFundsNoAdmins;
    case REASONS.subsidyExpired:
      return hasAdmins ? MESSAGES.expiredFunds : MESSAGES.expiredFundsNoAdmins;
    case REASONS.learnerNotInEnterprise:
      return MESSAGES.notInEnterprise;
    case REASONS.learnerMaxSpend:
    case REASONS.learnerMaxEnrollments:
      return MESSAGES.limits;
    case REASONS.contentNotInCatalog:
      return MESSAGES.notInCatalog;
    case REASONS.beyondEnrollmentDeadline:
      return MESSAGES.deadline;
    case REASONS.notAssigned:
    case REASONS.assignmentFailed:
      return MESSAGES.notAssigned;
    case REASONS.assignmentCancelled:
      return MESSAGES.assignmentCanceled;
    default:
      return null;
  }
}

export interface AdminContact {
  email: string;
  lms_user_id: number | null;
}

export interface ReasonObject {
  reason: string;
  user_message: string | null;
  metadata: { enterprise_administrators: AdminContact[] };
  policy_uuids: string[];
}

/** Groups refusals by reason, in the order the policies were evaluated (the first is displayed). */
export function reasonObjects(
  refusals: Array<{ reason: string; policyUuid: string }>,
  admins: AdminContact[],
): ReasonObject[] {
  const byReason = new Map<string, string[]>();
  for (const r of refusals) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.policyUuid]);
  return [...byReason].map(([reason, policyUuids]) => ({
    reason,
    user_message: userMessage(reason, admins.length > 0),
    metadata: { enterprise_administrators: admins },
    policy_uuids: policyUuids,
  }));
}
