import type { Executor } from '../../database.js';
import { Forbidden } from '../../shared/errors.js';
import { enterprisesWithRole, hasRole, isOperator, type Principal } from '../../shared/principal.js';
import * as memberships from './memberships.repository.js';

/*
 * Who may do what in an enterprise. Admin and learner roles come from the token (`role:<uuid>`);
 * a learner also belongs to the customers where they hold an active membership.
 */

/** Operators everywhere; an enterprise's admins within it. */
export function canManage(actor: Principal, customerUuid: string): boolean {
  return isOperator(actor) || hasRole(actor, 'enterprise_admin', customerUuid);
}

export function requireManage(actor: Principal, customerUuid: string): void {
  if (!canManage(actor, customerUuid)) throw new Forbidden('Only admins of this enterprise may do this.');
}

/** Managers, and learners of the enterprise (by role or by active membership). */
export async function canRead(db: Executor, actor: Principal, customerUuid: string): Promise<boolean> {
  return (
    canManage(actor, customerUuid) ||
    hasRole(actor, 'enterprise_learner', customerUuid) ||
    (await memberships.isActive(db, customerUuid, actor.lmsUserId))
  );
}

export async function requireRead(db: Executor, actor: Principal, customerUuid: string): Promise<void> {
  if (!(await canRead(db, actor, customerUuid))) throw new Forbidden('You do not belong to this enterprise.');
}

/** The customers whose objects the actor manages: all of them ('*') or these. */
export function managedCustomers(actor: Principal): '*' | string[] {
  if (isOperator(actor)) return '*';
  return enterprisesWithRole(actor, 'enterprise_admin');
}

/** The customers the actor may read by role: all ('*') or these (memberships come on top). */
export function readableByRole(actor: Principal): '*' | string[] {
  if (isOperator(actor)) return '*';
  return enterprisesWithRole(actor, ['enterprise_admin', 'enterprise_learner']);
}
