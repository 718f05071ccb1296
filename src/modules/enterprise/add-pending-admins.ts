import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import * as admins from './admins.repository.js';
import * as learners from './learners.repository.js';
import { normalizeEmail } from './link-learner.js';

export interface EnterpriseDeps {
  clock: Clock;
  ids: Ids;
}

/**
 * Makes these emails admins (contacts) of the customer, in the caller's transaction: an email
 * already known to a learner becomes an admin at once, the others wait as pending invitations
 * linked when the user appears. Safe to repeat. The caller has authorized the request.
 */
export async function addPendingAdmins(
  deps: EnterpriseDeps,
  trx: Executor,
  customerUuid: string,
  emails: string[],
): Promise<{ linked: number[]; pending: string[] }> {
  const now = deps.clock.now();
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const known = await learners.getByEmails(trx, wanted);
  const knownEmails = new Set(known.map((l) => normalizeEmail(l.email ?? '')));
  const pending = wanted.filter((e) => !knownEmails.has(e));
  for (const learner of known) await admins.add(trx, [customerUuid], learner.lms_user_id, now);
  await admins.addPending(trx, customerUuid, pending, now);
  return { linked: known.map((l) => l.lms_user_id), pending };
}
