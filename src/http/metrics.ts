import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { NotAuthenticated } from '../shared/errors.js';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With METRICS_TOKEN set, `/metrics` answers only `Authorization: Bearer <token>` (compared in
 * constant time); anyone else gets 401. Without it, `/metrics` is public, for a private network.
 */
function guardMetrics(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== METRICS_PATH) return;
    const [scheme, given, extra] = (request.headers.authorization ?? '').trim().split(/\s+/);
    const bearer = scheme !== undefined && /^bearer$/i.test(scheme) && extra === undefined;
    // Digests of equal length, so that the comparison's time says nothing about the token.
    if (!bearer || !timingSafeEqual(digest(given ?? ''), expected)) {
      throw new NotAuthenticated(
        '/metrics needs Authorization: Bearer <METRICS_TOKEN>.',
        'metrics_token_required',
      );
    }
  });
}

/** Request counts and latency by route, in a registry owned by this app (no process globals). */
export function registerMetrics(
  app: FastifyInstance,
  options: { processMetrics: boolean; token?: string | null },
): Registry {
  if (options.token) guardMetrics(app, options.token);
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'campus_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'campus_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL, keeps the label set bounded.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
