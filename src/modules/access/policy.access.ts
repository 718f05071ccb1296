import { Forbidden, NotFound } from '../../shared/errors.js';
import { hasRole, isOperator, type Principal, requireOperator } from '../../shared/principal.js';

/**
 * Who may do what with a customer's policies (reference §4.1): learners, admins and operators of
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

export function requireWritePolicies(actor: Principal): void {
  requireOperator(actor);
}

export const policyNotFound = (uuid: string) =>
  new NotFound(`No subsidy access policy ${uuid}.`, 'policy_not_found');
