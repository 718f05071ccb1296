import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { type ChangeView, changeHistory, requireHistoryReader } from '../history/index.js';
import { subsidyNotFound } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

/** A subsidy's change history (soft-deleted ones too), for its enterprise's admins and operators. */
export async function subsidyHistory(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  const subsidy = await subsidies.getByIdIncludingDeleted(ctx.db.kysely, input.uuid);
  if (!subsidy) throw subsidyNotFound(input.uuid);
  requireHistoryReader(actor, subsidy.enterprise_customer_uuid);
  return changeHistory(ctx.db.kysely, { table: 'subsidies', rowUuid: subsidy.uuid, ...input });
}
