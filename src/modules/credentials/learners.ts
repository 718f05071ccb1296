import type { Executor } from '../../database.js';
import { Conflict, Forbidden, ValidationFailed } from '../../shared/errors.js';
import type { Ids } from '../../shared/ids.js';
import { hasRole, type Principal } from '../../shared/principal.js';
import * as learners from './learners.repository.js';
import type { LearnerRow } from './schema.js';

/** A learner named by lms_user_id, by username, or by both. */
export interface LearnerRef {
  lmsUserId?: number | null;
  username?: string | null;
}

export const isCredentialsAdmin = (actor: Principal): boolean => hasRole(actor, 'credentials_admin');

/** True when the reference names the caller (by lms_user_id, or by username case-insensitively). */
export function isSelf(actor: Principal, ref: LearnerRef): boolean {
  if (ref.lmsUserId != null) return ref.lmsUserId === actor.lmsUserId;
  if (ref.username) return ref.username.toLowerCase() === actor.username.toLowerCase();
  return false;
}

/** Staff and credentials_admin read anyone; a learner only themself. */
export function requireSelfOrAdmin(actor: Principal, ref: LearnerRef): void {
  if (isCredentialsAdmin(actor) || isSelf(actor, ref)) return;
  throw new Forbidden('You may only see your own credentials.', 'not_own_learner');
}

/** The stored learner, looked up by lms_user_id first, then by username. */
export async function findLearner(db: Executor, ref: LearnerRef): Promise<LearnerRow | undefined> {
  if (ref.lmsUserId != null) {
    const byId = await learners.getByLmsUserId(db, ref.lmsUserId);
    if (byId || !ref.username) return byId;
  }
  return ref.username ? learners.getByUsername(db, ref.username) : undefined;
}

/**
 * The caller's own learner row, if credentials knows them: the row of their lms_user_id, else the
 * row of their username if it is bound to no lms_user_id yet (grades recorded before the learner
 * signed in). A row under their username that belongs to another lms_user_id is someone else's,
 * whatever the token's username says: 409 learner_id_mismatch, as a share answers.
 */
export async function findSelf(db: Executor, actor: Principal): Promise<LearnerRow | undefined> {
  const byId = await learners.getByLmsUserId(db, actor.lmsUserId);
  if (byId) return byId;
  const byName = await learners.getByUsername(db, actor.username);
  if (byName && byName.lms_user_id != null) {
    throw new Conflict(
      `The username ${actor.username} belongs to another lms_user_id.`,
      'learner_id_mismatch',
    );
  }
  return byName;
}

/** The learner a read names: anyone for credentials admins; for a learner, only their own row. */
export function findReadable(
  db: Executor,
  actor: Principal,
  ref: LearnerRef,
): Promise<LearnerRow | undefined> {
  return isCredentialsAdmin(actor) ? findLearner(db, ref) : findSelf(db, actor);
}

/**
 * Get-or-create the learner named by a write (username required, lms_user_id when known), bringing
 * the stored ids up to date: a known lms_user_id with a new username is a rename; a username seen
 * without an lms_user_id gets it. Locks the learner row for the rest of the transaction.
 */
export async function ensureLearner(
  deps: { ids: Ids; now: Date },
  trx: Executor,
  ref: { username: string; lmsUserId?: number | null; email?: string | null; fullName?: string | null },
): Promise<LearnerRow> {
  let row = await findLearner(trx, ref);
  if (!row) {
    row =
      (await learners.insertOnce(trx, {
        uuid: deps.ids.uuid(),
        lms_user_id: ref.lmsUserId ?? null,
        username: ref.username,
        email: ref.email ?? null,
        full_name: ref.fullName ?? null,
        now: deps.now,
      })) ?? (await findLearner(trx, ref));
    if (!row)
      throw new Conflict('The learner is being created by another request; retry.', 'learner_conflict');
  } else {
    const patch: { lms_user_id?: number; username?: string; email?: string; full_name?: string } = {};
    if (ref.lmsUserId != null && row.lms_user_id == null) patch.lms_user_id = ref.lmsUserId;
    if (ref.lmsUserId != null && row.lms_user_id != null && row.lms_user_id !== ref.lmsUserId) {
      throw new Conflict(
        `The username ${ref.username} belongs to another lms_user_id.`,
        'learner_id_mismatch',
      );
    }
    if (row.username !== ref.username) {
      if (ref.lmsUserId == null)
        throw ValidationFailed.field('username', 'does not match the stored learner');
      const other = await learners.getByUsername(trx, ref.username);
      if (other)
        throw new Conflict(`The username ${ref.username} is taken by another learner.`, 'username_taken');
      patch.username = ref.username;
    }
    if (ref.email && ref.email !== row.email) patch.email = ref.email;
    if (ref.fullName && ref.fullName !== row.full_name) patch.full_name = ref.fullName;
    if (Object.keys(patch).length) row = await learners.update(trx, row.uuid, patch, deps.now);
  }
  await learners.lock(trx, row.uuid);
  return row;
}
