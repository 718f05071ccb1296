import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { type ChangeView, changeHistory, requireHistoryReader } from '../history/index.js';
import { customerNotFound } from './enterprise.errors.js';

/**
 * A customer's change history, for its admins and operators. Deleted customers keep their
 * history: it is looked up by uuid without the customer row.
 */
export async function customerHistory(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  requireHistoryReader(actor, input.uuid);
  const found = await changeHistory(ctx.db.kysely, {
    table: 'enterprise_customers',
    rowUuid: input.uuid,
    ...input,
  });
  // Every customer has at least its creation; none means there never was one.
  if (found.count === 0) throw customerNotFound(input.uuid);
  return found;
}
