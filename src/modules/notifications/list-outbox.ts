import type { AppContext } from '../../context.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { list, type OutboxFilter } from './outbox.repository.js';
import type { OutboxRow } from './schema.js';

/** Operators read the outbox to see what was (or will be) sent to whom, and why delivery failed. */
export async function listOutbox(
  ctx: AppContext,
  actor: Principal,
  input: OutboxFilter & { offset: number; limit: number },
): Promise<{ count: number; rows: OutboxRow[] }> {
  requireOperator(actor);
  const { offset, limit, ...filter } = input;
  return list(ctx.db.kysely, filter, { offset, limit });
}
