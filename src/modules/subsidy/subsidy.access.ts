import { NotFound } from '../../shared/errors.js';
import { enterprisesWithRole, hasRole, isOperator, type Principal } from '../../shared/principal.js';

/** Who may do what with a subsidy, from the roles of its enterprise. */
const ADMINS = ['enterprise_admin', 'enterprise_openedx_operator'] as const;
const LEARNERS = ['enterprise_learner', 'enterprise_admin', 'enterprise_openedx_operator'] as const;

export const isSubsidyAdmin = (actor: Principal, customerUuid: string) =>
  hasRole(actor, ADMINS, customerUuid);
export const isSubsidyLearner = (actor: Principal, customerUuid: string) =>
  hasRole(actor, LEARNERS, customerUuid);

/** The customers whose subsidies the actor may list; null = all (operators). */
export function adminCustomers(actor: Principal): string[] | null {
  if (isOperator(actor)) return null;
  const scopes = enterprisesWithRole(actor, ADMINS);
  return scopes === '*' ? null : scopes;
}

export const subsidyNotFound = (uuid: string) => new NotFound(`No subsidy ${uuid}.`, 'subsidy_not_found');

/** Active when both dates are set and now lies between them, both ends included. */
export function isActive(
  s: { active_datetime: Date | null; expiration_datetime: Date | null },
  now: Date,
): boolean {
  return (
    s.active_datetime !== null &&
    s.expiration_datetime !== null &&
    s.active_datetime.getTime() <= now.getTime() &&
    now.getTime() <= s.expiration_datetime.getTime()
  );
}
