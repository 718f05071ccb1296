import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { policyNotFound, requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import { checkNoSpendOnDeactivation } from './policy.rules.js';
import type { PolicyRow } from './schema.js';

/**
 * Soft delete (ADR 0009): the policy becomes inactive; an inactive one is left as it is. A policy
 * with spend is refused with 422 `policy_has_spend` (retire it instead). The reason, when given, is
 * logged: Campus keeps no policy history table yet.
 */
export async function deletePolicy(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: { reason?: string | null },
): Promise<PolicyRow> {
  requireWritePolicies(actor);
  return ctx.db.transaction(async (trx) => {
    const current = await policies.lockById(trx, uuid);
    if (!current) throw policyNotFound(uuid);
    if (!current.active) return current;
    await checkNoSpendOnDeactivation(ctx, trx, current);
    const saved = await policies.update(trx, uuid, { active: false, modified: ctx.clock.now() });
    ctx.log.info(
      { policy: uuid, by: actor.lmsUserId, reason: input.reason?.trim() || null },
      'subsidy access policy deactivated',
    );
    return saved;
  });
}
