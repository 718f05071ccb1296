import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { type ChangeView, changeHistory, requireHistoryReader } from '../history/index.js';
import { policyNotFound } from './policy.access.js';
import * as policies from './policy.repository.js';

/** A policy's change history, newest first, for its enterprise's admins and operators. */
export async function policyHistory(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  const policy = await policies.getById(ctx.db.kysely, input.uuid);
  if (!policy) throw policyNotFound(input.uuid);
  requireHistoryReader(actor, policy.enterprise_customer_uuid);
  return changeHistory(ctx.db.kysely, { table: 'subsidy_access_policies', rowUuid: policy.uuid, ...input });
}
