import { Forbidden } from '../../shared/errors.js';
import { hasRole, isOperator, type Principal } from '../../shared/principal.js';
import type { Learner } from './evaluate.js';

const MEMBER_ROLES = ['enterprise_learner', 'enterprise_admin'] as const;

/**
 * Whom a redemption request is about. Learners ask only for themselves: the reference trusts any
 * `lms_user_id` a learner sends; Campus refuses one that is not theirs. Operators (and staff) may
 * ask for anyone; then membership is looked up rather than taken from the token.
 */
export function learnerFor(
  actor: Principal,
  enterpriseCustomerUuid: string,
  lmsUserId?: number | null,
): Learner {
  const operator = isOperator(actor);
  if (!operator && !hasRole(actor, MEMBER_ROLES, enterpriseCustomerUuid)) throw new Forbidden();
  if (lmsUserId !== undefined && lmsUserId !== null && lmsUserId !== actor.lmsUserId) {
    if (!operator) throw new Forbidden('Learners may only act for themselves.', 'not_own_learner');
    return { lmsUserId, membershipProven: false };
  }
  return {
    lmsUserId: actor.lmsUserId,
    membershipProven: hasRole(actor, MEMBER_ROLES, enterpriseCustomerUuid) && !actor.isStaff,
  };
}
