import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { type CreatePolicyInput, createPolicy } from './create-policy.js';
import { requireWritePolicies } from './policy.access.js';
import type { PolicyRow } from './schema.js';

/**
 * The subsidy's (unretired) policy with this display name, or a new one through createPolicy.
 * For callers that name each policy they make and may run again (provisioning): the name finds
 * inactive policies too, which the twin rule of docs/decisions/0004-idempotent-policy-create.md
 * does not. Callers that may race serialize themselves (provisioning holds its workflow's lock);
 * active twins are still caught by createPolicy.
 */
export async function getOrCreatePolicy(
  ctx: AppContext,
  actor: Principal,
  input: CreatePolicyInput & { displayName: string },
): Promise<{ policy: PolicyRow; created: boolean }> {
  requireWritePolicies(actor);
  const found = await ctx.db.kysely
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('subsidy_uuid', '=', input.subsidyUuid)
    .where('display_name', '=', input.displayName)
    .where('retired', '=', false)
    .orderBy('created')
    .executeTakeFirst();
  if (found) return { policy: found, created: false };
  return createPolicy(ctx, actor, input);
}
