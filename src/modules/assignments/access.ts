import type { Executor } from '../../database.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import {
  canonicalUuid,
  hasRole,
  isOperator,
  type Principal,
  requireOperator,
} from '../../shared/principal.js';
import { isActiveMember } from '../enterprise/index.js';
import * as configurations from './configurations.repository.js';
import type { ConfigurationRow } from './schema.js';

/**
 * Who may do what with assignments: admins (and operators) of the enterprise allocate, list and
 * act on them; learners of the enterprise see and acknowledge only their own; configurations
 * themselves are written only by operators, like the policies they belong to.
 */
const ADMINS = ['enterprise_admin', 'enterprise_openedx_operator'] as const;
const LEARNERS = ['enterprise_learner', 'enterprise_admin', 'enterprise_openedx_operator'] as const;

export const isAssignmentAdmin = (actor: Principal, customerUuid: string) =>
  isOperator(actor) || hasRole(actor, ADMINS, customerUuid);

export function requireAssignmentAdmin(actor: Principal, customerUuid: string): void {
  if (!isAssignmentAdmin(actor, customerUuid)) {
    throw new Forbidden('Only admins and operators of this enterprise may manage its assignments.');
  }
}

/**
 * Members of the enterprise read and acknowledge their own assignments: a role in the token, or an
 * active membership (one taken up from an admin's invitation carries no role claim).
 */
export async function requireAssignmentLearner(
  db: Executor,
  actor: Principal,
  customerUuid: string,
): Promise<void> {
  if (isOperator(actor) || hasRole(actor, LEARNERS, customerUuid)) return;
  if (await isActiveMember(db, canonicalUuid(customerUuid), actor.lmsUserId)) return;
  throw new Forbidden('Only members of this enterprise may read its assignments.');
}

export const requireConfigurationWriter = (actor: Principal) => requireOperator(actor);

export const configurationNotFound = (uuid: string) =>
  new NotFound(`No assignment configuration ${uuid}.`, 'assignment_configuration_not_found');

export const assignmentNotFound = (uuid: string) =>
  new NotFound(`No assignment ${uuid}.`, 'assignment_not_found');

export async function loadConfiguration(db: Executor, uuid: string): Promise<ConfigurationRow> {
  const row = await configurations.getById(db, uuid);
  if (!row) throw configurationNotFound(uuid);
  return row;
}
