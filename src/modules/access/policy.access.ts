import { Forbidden, NotFound } from '../../shared/errors.js';
import { hasRole, isOperator, type Principal, requireOperator } from '../../shared/principal.js';

/**
 * Who may do what with a customer's policies: learners, admins and operators of
 * the customer read them; only operators (staff or `enterprise_openedx_operator:*`) write them.
 */
const READERS = ['enterprise_learner', 'enterprise_admin', 'enterprise_openedx_operator'] as const;

export function canReadPolicies(actor: Principal, customerUuid: string): boolean {
  return isOperator(actor) || hasRole(actor, READERS, customerUuid);
}

export function requireReadPolicies(actor: Principal, customerUuid: string): void {
  if (!canReadPolicies(actor, customerUuid)) {
    throw new Forbidden('Only learners, admins and operators of this enterprise may read its policies.');
  }
}

/**
 * Who may read a budget's group roster (emails, names, pending invitees, enrollment counts): the
 * customer's admins and operators. The reference lets any learner of the customer read it; a
 * learner has no business reading colleagues' emails, so Campus does not (issue 16).
 */
export function requireAdministerPolicies(actor: Principal, customerUuid: string): void {
  if (!(isOperator(actor) || hasRole(actor, ['enterprise_admin'], customerUuid))) {
    throw new Forbidden(
      "Only this enterprise's admins and operators may read a budget's group members.",
      'group_members_admins_only',
    );
  }
}

export function requireWritePolicies(actor: Principal): void {
  requireOperator(actor);
}

export const policyNotFound = (uuid: string) =>
  new NotFound(`No subsidy access policy ${uuid}.`, 'policy_not_found');
