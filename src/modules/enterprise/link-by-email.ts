import type { Executor } from '../../db/db.js';
import * as learners from './learners.repository.js';
import { normalizeEmail } from './link-learner.js';
import * as memberships from './memberships.repository.js';

/**
 * Links people to a customer by email, in the caller's transaction: those already known as
 * learners become (or again become) active members, the others get a pending membership that
 * turns into one when they first sign in. Safe to repeat. Four statements whatever the count.
 */
export async function linkLearnersByEmail(
  trx: Executor,
  customerUuid: string,
  emails: string[],
  now: Date,
): Promise<{ linked: number[]; pending: string[] }> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  if (wanted.length === 0) return { linked: [], pending: [] };
  const known = await learners.getByEmails(trx, wanted);
  const knownEmails = new Set(known.map((l) => normalizeEmail(l.email ?? '')));
  const unknown = wanted.filter((e) => !knownEmails.has(e));
  await memberships.activate(
    trx,
    known.map((l) => ({ enterprise_customer_uuid: customerUuid, lms_user_id: l.lms_user_id })),
    now,
  );
  await memberships.removePending(trx, customerUuid, [...knownEmails]);
  await memberships.addPending(trx, customerUuid, unknown, now);
  return { linked: known.map((l) => l.lms_user_id), pending: unknown };
}
