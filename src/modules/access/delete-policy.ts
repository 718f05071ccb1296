import type { AppContext } from '../../context.js';
import { auditReason } from '../../shared/audit.js';
import type { Principal } from '../../shared/principal.js';
import { policyNotFound, requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import { checkNoSpendOnDeactivation } from './policy.rules.js';
import type { PolicyRow } from './schema.js';

/**
 * Soft delete (docs/decisions/0003-retire-not-delete-policies.md): the policy becomes inactive; an
 * inactive one is left as it is. A policy with spend is refused with 422 `policy_has_spend`
 * (retire it instead). The reason, when given, is the `reason` of the change in the policy's
 * history.
 */
export async function deletePolicy(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: { reason?: string | null },
): Promise<PolicyRow> {
  requireWritePolicies(actor);
  auditReason(input.reason);
  return ctx.db.transaction(async (trx) => {
    const current = await policies.lockById(trx, uuid);
    if (!current) throw policyNotFound(uuid);
    if (!current.active) return current;
    await checkNoSpendOnDeactivation(ctx, trx, current);
    return policies.update(trx, uuid, { active: false, modified: ctx.clock.now() });
  });
}
