import type { Executor } from '../../database.js';
import { canonicalUuid } from '../../shared/principal.js';
import * as memberships from './memberships.repository.js';

/**
 * Deactivates a learner's membership inside the caller's transaction (the caller has authorized
 * it, e.g. an admin declining a request "and remove the learner from the organization"). Kept,
 * never deleted; false when there was no active membership.
 */
export async function deactivateMembership(
  db: Executor,
  customerUuid: string,
  lmsUserId: number,
  now: Date,
): Promise<boolean> {
  return memberships.deactivate(db, canonicalUuid(customerUuid), lmsUserId, now);
}
