import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Executor } from '../database.js';
import { DomainError } from '../shared/errors.js';

/** A route's limit: at most `max` calls per `windowSeconds`, counted per user or per address. */
export interface RateLimit {
  /** Names the counter; routes that share a name share a budget. */
  name: string;
  max: number;
  windowSeconds: number;
  /** `user`: the signed-in caller (staff are not limited); `ip`: the client address (public routes). */
  by: 'user' | 'ip';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimit?: RateLimit;
  }
}

export class TooManyRequests extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    // `error` is what the learner-record page's reference API answers; the rest is Campus's shape.
    super(429, 'rate_limited', 'Too many requests; try again later.', { error: 'Too Many Requests' });
  }
}

/** Counts one call in the current window and returns the count so far (one statement). */
async function hit(db: Executor, key: string, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('rate_limit_windows')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc
        .columns(['key', 'window_start'])
        .doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

function keyOf(request: FastifyRequest, limit: RateLimit): string | null {
  if (limit.by === 'ip') return `${limit.name}:ip:${request.ip}`;
  const p = request.principal;
  // Staff are not limited: internal tooling hit the reference's limits and they were lifted.
  if (!p || p.isStaff) return null;
  return `${limit.name}:user:${p.lmsUserId}`;
}

/**
 * Enforces `config.rateLimit` of a route, after authentication and before the body is parsed:
 * over the limit → 429 with Retry-After (seconds to the next window).
 */
export function registerRateLimits(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request, reply) => {
    const limit = request.routeOptions.config?.rateLimit;
    if (!limit) return;
    const key = keyOf(request, limit);
    if (key === null) return;
    const windowMs = limit.windowSeconds * 1000;
    const now = ctx.clock.now().getTime();
    const start = Math.floor(now / windowMs) * windowMs;
    const hits = await hit(ctx.db.kysely, key, new Date(start));
    reply.header('x-ratelimit-limit', limit.max);
    reply.header('x-ratelimit-remaining', Math.max(0, limit.max - hits));
    if (hits > limit.max) {
      const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
      reply.header('retry-after', retryAfter);
      throw new TooManyRequests(retryAfter);
    }
  });
}

/** Deletes windows that ended before `before` (run by the prune-rate-limits job). */
export async function pruneRateLimits(db: Executor, before: Date): Promise<number> {
  const res = await db.deleteFrom('rate_limit_windows').where('window_start', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows ?? 0);
}
