import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { isOperator, type Principal } from '../../shared/principal.js';
import * as learners from './learners.repository.js';
import { normalizeEmail } from './link-learner.js';
import * as memberships from './memberships.repository.js';
import { forgetRememberedUsers } from './remember-user.js';
import type { Learner } from './schema.js';

/**
 * The membership rule, the same on every path that names people by email (learners, groups,
 * allocation, requests):
 * - `direct` (operators, who see every learner anyway): a known learner becomes a member at once.
 * - `invite` (an enterprise's admins): only someone who already has a membership of this
 *   enterprise (active or deactivated) is linked at once; anybody else — known elsewhere or not at
 *   all — gets a pending invitation that turns into a membership when that person signs in. So
 *   nothing an admin sends tells whether an account exists, nor what its stored fields are.
 */
export type LinkMode = 'direct' | 'invite';

export function linkModeOf(actor: Principal): LinkMode {
  return isOperator(actor) ? 'direct' : 'invite';
}

/**
 * The learners with these emails (any case) that a caller in `mode` may name for this customer:
 * all of them (`direct`), or those with a membership of the customer (`invite`). Two statements.
 */
export async function linkableLearners(
  db: Executor,
  customerUuid: string,
  emails: string[],
  mode: LinkMode,
): Promise<Learner[]> {
  const known = await learners.getByEmails(db, [...new Set(emails.map(normalizeEmail))]);
  return linkableAmong(db, customerUuid, known, mode);
}

async function linkableAmong(
  db: Executor,
  customerUuid: string,
  known: Learner[],
  mode: LinkMode,
): Promise<Learner[]> {
  if (mode === 'direct' || known.length === 0) return known;
  const ids = known.map((l) => l.lms_user_id);
  const ours = new Set(await memberships.membersAmong(db, customerUuid, ids, 'any'));
  return known.filter((l) => ours.has(l.lms_user_id));
}

/**
 * Links people to a customer by email, in the caller's transaction, by the membership rule above:
 * the linkable become (or again become) active members, every other email gets a pending
 * membership. Safe to repeat; a bounded number of statements whatever the count.
 */
export async function linkLearnersByEmail(
  ctx: AppContext,
  trx: Executor,
  customerUuid: string,
  emails: string[],
  mode: LinkMode,
): Promise<{ linked: number[]; pending: string[] }> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  if (wanted.length === 0) return { linked: [], pending: [] };
  const now = ctx.clock.now();
  const known = await learners.getByEmails(trx, wanted);
  const linkable = await linkableAmong(trx, customerUuid, known, mode);
  const linkedEmails = new Set(linkable.map((l) => normalizeEmail(l.email ?? '')));
  const pending = wanted.filter((e) => !linkedEmails.has(e));
  await memberships.activate(
    trx,
    linkable.map((l) => ({ enterprise_customer_uuid: customerUuid, lms_user_id: l.lms_user_id })),
    now,
  );
  await memberships.removePending(trx, customerUuid, [...linkedEmails]);
  await memberships.addPending(trx, customerUuid, pending, now);
  // Invited people this process has already seen take their invitation up on their next request.
  const invited = known.filter((l) => !linkable.includes(l)).map((l) => l.lms_user_id);
  forgetRememberedUsers(ctx.db, invited);
  return { linked: linkable.map((l) => l.lms_user_id), pending };
}
