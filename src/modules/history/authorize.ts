import { Forbidden } from '../../shared/errors.js';
import { hasRole, type Principal } from '../../shared/principal.js';

const READERS = ['enterprise_admin', 'enterprise_openedx_operator'] as const;

/** A record's history is for the admins of its enterprise and for operators. */
export function requireHistoryReader(actor: Principal, customerUuid: string): void {
  if (!hasRole(actor, READERS, customerUuid)) {
    throw new Forbidden('Only admins of this enterprise and operators may read its change history.');
  }
}
