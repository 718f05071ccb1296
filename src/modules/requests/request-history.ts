import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { type ChangeView, changeHistory, requireHistoryReader } from '../history/index.js';
import { requestNotFound } from './authorize.js';
import * as requests from './requests.repository.js';

/** A learner credit request's change history, for its enterprise's admins and operators. */
export async function requestHistory(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  const row = await requests.getById(ctx.db.kysely, input.uuid);
  if (!row) throw requestNotFound(input.uuid);
  requireHistoryReader(actor, row.enterprise_customer_uuid);
  return changeHistory(ctx.db.kysely, { table: 'learner_credit_requests', rowUuid: row.uuid, ...input });
}
