import type { AppContext } from '../../context.js';
import type { Db } from '../../database.js';
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
/** Writes under way, per database and user: a burst of one user's requests waits for one write. */
const writing = new WeakMap<Db, Map<number, { fields: string; done: Promise<void> }>>();

function ofDb<V>(maps: WeakMap<Db, Map<number, V>>, db: Db): Map<number, V> {
  let map = maps.get(db);
  if (!map) {
    map = new Map();
    maps.set(db, map);
  }
  return map;
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
  const cache = ofDb(caches, ctx.db);
  const fields = `${principal.username}\u0000${principal.email ?? ''}\u0000${principal.fullName ?? ''}`;
  const now = ctx.clock.now();
  const seen = cache.get(principal.lmsUserId);
  if (seen && seen.fields === fields && now.getTime() - seen.at < TTL_MS) {
    // Refresh the LRU position.
    cache.delete(principal.lmsUserId);
    cache.set(principal.lmsUserId, seen);
    return;
  }
  // A new user's first page fires several requests at once: they share one write instead of
  // each upserting (and waiting for the others' row lock on) the same learner row.
  const inFlight = ofDb(writing, ctx.db);
  const under = inFlight.get(principal.lmsUserId);
  if (under && under.fields === fields) return under.done;
  const done = writeUser(ctx, principal, fields, now);
  inFlight.set(principal.lmsUserId, { fields, done });
  try {
    await done;
  } finally {
    if (inFlight.get(principal.lmsUserId)?.done === done) inFlight.delete(principal.lmsUserId);
  }
}

async function writeUser(ctx: AppContext, principal: Principal, fields: string, now: Date): Promise<void> {
  const cache = ofDb(caches, ctx.db);
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
