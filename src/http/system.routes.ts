import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { errorSchema } from './error.schemas.js';
import { RETRY_AFTER_SECONDS } from './errors.js';
import { actor } from './guard.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['ok', 'unreachable']),
  dialect: z.enum(['pglite', 'postgres']),
});

const meSchema = z.object({
  lms_user_id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  is_staff: z.boolean(),
  roles: z.array(z.string()),
});

const HEALTH_TIMEOUT_MS = 2000;

/** Liveness, metrics and "who am I": the routes every deployment and client needs. */
export const systemRoutes: FastifyPluginAsyncZod<{ ctx: AppContext; metrics: Registry }> = async (
  app,
  { ctx, metrics },
) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Whether this process and its database answer',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([ctx.db.ping(), timeout]);
        return { status: 'ok' as const, database: 'ok' as const, dialect: ctx.db.dialect };
      } catch {
        return reply
          .header('Retry-After', String(RETRY_AFTER_SECONDS))
          .status(503)
          .send({ status: 'unavailable', database: 'unreachable', dialect: ctx.db.dialect });
      } finally {
        clearTimeout(timer);
      }
    },
  );

  app.get(
    '/metrics',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Prometheus metrics (text format)' } },
    async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.metrics();
    },
  );

  app.get(
    '/api/v1/me/',
    {
      schema: {
        tags: ['system'],
        summary: "The caller's identity as Campus reads it from the token",
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    async (request) => {
      const me = actor(request);
      return {
        lms_user_id: me.lmsUserId,
        username: me.username,
        email: me.email,
        is_staff: me.isStaff,
        roles: me.grants.map((g) => `${g.role}:${g.scope}`),
      };
    },
  );
};
