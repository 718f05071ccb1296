import type { AppContext } from '../../context.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import { hasRole, type Principal } from '../../shared/principal.js';
import { type AttemptFilter, listAttempts } from './attempts.repository.js';
import * as policies from './policy.repository.js';
import type { AttemptRow } from './schema.js';

/** Support reads every redeem call on a policy: admins of its enterprise and operators. */
export async function policyAttempts(
  ctx: AppContext,
  actor: Principal,
  input: Omit<AttemptFilter, 'policyUuid'> & { policyUuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: AttemptRow[] }> {
  const policy = await policies.getById(ctx.db.kysely, input.policyUuid);
  if (!policy) throw new NotFound(`No policy ${input.policyUuid}.`, 'policy_not_found');
  if (!hasRole(actor, ['enterprise_admin', 'enterprise_openedx_operator'], policy.enterprise_customer_uuid)) {
    throw new Forbidden();
  }
  const { offset, limit, ...filter } = input;
  return listAttempts(ctx.db.kysely, filter, { offset, limit });
}
