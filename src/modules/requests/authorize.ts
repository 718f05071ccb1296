import type { Executor } from '../../database.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import { canonicalUuid, enterprisesWithRole, hasRole, type Principal } from '../../shared/principal.js';
import { isActiveMember } from '../enterprise/index.js';
import type { RequestScope } from './requests.repository.js';

const ADMINS = ['enterprise_admin', 'enterprise_openedx_operator'] as const;
const MEMBERS = ['enterprise_learner', 'enterprise_admin', 'enterprise_openedx_operator'] as const;

/** Admins of the enterprise and operators review its requests. */
export function canAdminister(actor: Principal, customerUuid: string): boolean {
  return hasRole(actor, ADMINS, customerUuid);
}

export function requireRequestsAdmin(actor: Principal, customerUuid: string): void {
  if (!canAdminister(actor, customerUuid)) {
    throw new Forbidden('Only admins of this enterprise and operators may review its requests.');
  }
}

/**
 * Learners and admins of the enterprise (and operators) ask for courses and read its settings.
 * The membership rule of every module: a role in the token, or an active membership (one taken up
 * from an invitation carries no role claim).
 */
export async function requireMember(db: Executor, actor: Principal, customerUuid: string): Promise<void> {
  if (hasRole(actor, MEMBERS, customerUuid)) return;
  if (await isActiveMember(db, canonicalUuid(customerUuid), actor.lmsUserId)) return;
  throw new Forbidden('Only members of this enterprise may do this.');
}

/** What the caller's list shows: their own requests and those of the enterprises they administer. */
export function scopeOf(actor: Principal): RequestScope {
  return { lmsUserId: actor.lmsUserId, adminOf: enterprisesWithRole(actor, ADMINS) };
}

export const requestNotFound = (uuid: string) =>
  new NotFound(`Learner Credit Request with UUID ${uuid} not found.`, 'request_not_found');
