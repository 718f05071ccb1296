import type { AppContext } from '../../context.js';
import type { Db } from '../../db/db.js';
import type { Principal } from '../../shared/principal.js';
import { saveAndLinkLearner } from './link-learner.js';

const CAPACITY = 10_000;
/** A remembered user is written again after this long, so that nothing waits for an eviction. */
const TTL_MS = 10 * 60_000;

interface Seen {
  fields: string;
  at: number;
}

// One cache per database: several apps (tests) in one process must not skip each other's writes.
const caches = new WeakMap<Db, Map<number, Seen>>();

function cacheFor(db: Db): Map<number, Seen> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * Keeps the local learner record in step with a verified token (lms_user_id, username, email, name) and
 * links the invitations waiting for its email. A small in-process LRU remembers what was last
 * written for each user, so that repeat requests do not write; it is only an optimization: the
 * upsert writes nothing when nothing changed. An admin's invitation of an email already known to a
 * learner waits for that person (link-by-email.ts): the inviting process forgets them at once, so
 * their next request here takes it up; another process does within TTL_MS.
 */
export async function rememberUser(ctx: AppContext, principal: Principal): Promise<void> {
  const cache = cacheFor(ctx.db);
  const fields = `${principal.username}\u0000${principal.email ?? ''}\u0000${principal.fullName ?? ''}`;
  const now = ctx.clock.now();
  const seen = cache.get(principal.lmsUserId);
  if (seen && seen.fields === fields && now.getTime() - seen.at < TTL_MS) {
    // Refresh the LRU position.
    cache.delete(principal.lmsUserId);
    cache.set(principal.lmsUserId, seen);
    return;
  }
  await ctx.db.transaction((trx) =>
    saveAndLinkLearner(
      trx,
      {
        lms_user_id: principal.lmsUserId,
        username: principal.username,
        email: principal.email,
        full_name: principal.fullName ?? null,
      },
      now,
    ),
  );
  cache.delete(principal.lmsUserId);
  cache.set(principal.lmsUserId, { fields, at: now.getTime() });
  if (cache.size > CAPACITY) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

/** Makes the next request of these users write and link again (they have a new invitation). */
export function forgetRememberedUsers(db: Db, lmsUserIds: number[]): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const id of lmsUserIds) cache.delete(id);
}
