import { Forbidden } from '../../shared/errors.js';
import { hasRole, isOperator, type Principal } from '../../shared/principal.js';

/** Provisioning admins (`enterprise_provisioning_admin:*`) and operators provision customers and see the runs. */
export function requireProvisioner(actor: Principal): void {
  if (!isOperator(actor) && !hasRole(actor, 'enterprise_provisioning_admin')) {
    throw new Forbidden('Only provisioning admins and operators may provision customers.');
  }
}

/**
 * Whom the steps act as: the caller, with operator rights for exactly the writes of the recipe
 * (creating a customer, a subsidy, policies are operator actions the caller was allowed as a whole).
 */
export function stepActor(caller: Principal): Principal {
  return {
    lmsUserId: caller.lmsUserId,
    username: caller.username,
    email: caller.email,
    isStaff: false,
    grants: [{ role: 'enterprise_openedx_operator', scope: '*' }],
  };
}
