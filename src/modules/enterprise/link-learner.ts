import type { Executor } from '../../database.js';
import * as admins from './admins.repository.js';
import * as groups from './groups.repository.js';
import * as learners from './learners.repository.js';
import * as memberships from './memberships.repository.js';

/** Emails compare case-insensitively: invitations are stored lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Saves the learner record and turns every invitation waiting for its email (memberships, admin
 * invitations, group memberships) into the real thing. Safe to repeat; run it in a transaction.
 */
export async function saveAndLinkLearner(
  trx: Executor,
  learner: learners.LearnerFields,
  now: Date,
): Promise<void> {
  await learners.upsert(trx, learner, now);
  if (learner.email) await linkInvitations(trx, learner.lms_user_id, learner.email, now);
}

/** Turns every invitation waiting for `email` into the learner's membership, admin or group membership. */
export async function linkInvitations(
  trx: Executor,
  lmsUserId: number,
  rawEmail: string,
  now: Date,
): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const learner = { lms_user_id: lmsUserId };
  const customers = await memberships.takePendingByEmail(trx, email);
  await memberships.activate(
    trx,
    customers.map((c) => ({ enterprise_customer_uuid: c, lms_user_id: learner.lms_user_id })),
    now,
  );
  await admins.add(trx, await admins.takePendingByEmail(trx, email), learner.lms_user_id, now);
  const groupUuids = await groups.takePendingByEmail(trx, email);
  await groups.addMembers(
    trx,
    groupUuids.map((g) => ({ group_uuid: g, lms_user_id: learner.lms_user_id })),
    now,
  );
}
