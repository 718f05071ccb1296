import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../support/app.js';

/**
 * The routes anyone may call without a token. Adding a route here is a decision to review; every
 * other route in /openapi.json must answer 401 to an anonymous caller.
 */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /metrics',
  // The CSRF token the Open edX front ends fetch before a write (src/http/csrf.routes.ts), and the
  // CORS preflights of the MFEs (src/http/cors.ts; a browser sends no credentials with them).
  'GET /csrf/api/v1/token',
  'OPTIONS *',
  // A shared program record (and its CSV) is readable by anyone holding the link, without the email.
  'GET /credentials/records/api/v1/program_records/{uuid}/',
  'GET /credentials/records/programs/shared/{uuid}/',
  'GET /credentials/records/programs/shared/{uuid}/csv',
  // The web pages (src/http/web.routes.ts): HTML shells and their scripts, no data; hidden from
  // /openapi.json, so listed here for review only. The sign-in pair exists only outside production.
  'GET /app/',
  'GET /app/assets/*',
  'GET /app/admin/{slug}/',
  'GET /app/admin/{slug}/budgets/{policy}/',
  'GET /app/admin/{slug}/learners/',
  'GET /app/learner/{slug}/',
  'GET /app/learner/{slug}/courses/{course}/',
  'GET /app/learner/{slug}/records/',
  'GET /app/learner/{slug}/records/{program}/',
  'GET /app/records/shared/{shared}/',
  'GET /app/sign-in',
  'POST /app/sign-in',
  'POST /app/sign-out',
  // The API reference (swagger-ui) and its document: hidden from /openapi.json.
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/*',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
]);

/** "METHOD /path/{param}/" for each method of a Fastify route (HEAD routes are GET's twins). */
const routeNames = (route: RouteOptions) =>
  ([] as string[])
    .concat(route.method)
    .filter((m) => m !== 'HEAD')
    .map((m) => `${m} ${route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`);

describe('route guard', () => {
  let t: TestApp;
  let operations: Array<{ method: string; path: string; security: unknown[] }>;
  // Every route of the app as Fastify adds it, hidden ones (/app, /docs) included; `config` is read
  // after start-up, once every plugin has had its say.
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    t = await testApp({ onRoute: (route) => routes.push(route) });
    const spec = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    operations = Object.entries(
      spec.paths as Record<string, Record<string, { security: unknown[] }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        security: op.security,
      })),
    );
  });
  afterAll(() => t.close());

  it('documents every operation with its security requirement', () => {
    expect(operations.length).toBeGreaterThan(2);
    for (const op of operations) expect(Array.isArray(op.security), `${op.method} ${op.path}`).toBe(true);
  });

  it('marks as public only the routes on the reviewed list', () => {
    const declaredPublic = operations
      .filter((op) => op.security.length === 0)
      .map((op) => `${op.method} ${op.path}`);
    expect(declaredPublic.filter((r) => !PUBLIC_ROUTES.has(r))).toEqual([]);
  });

  it('marks as public, in the whole route table, only the routes on the reviewed list', () => {
    expect(routes.length).toBeGreaterThan(operations.length);
    const isPublic = (r: RouteOptions) => (r.config as { public?: boolean } | undefined)?.public === true;
    const publicRoutes = routes.filter(isPublic).flatMap(routeNames);
    expect(publicRoutes.filter((r) => !PUBLIC_ROUTES.has(r))).toEqual([]);
    // And the list names no route that is gone or no longer public.
    expect([...PUBLIC_ROUTES].filter((r) => !publicRoutes.includes(r))).toEqual([]);
  });

  it('has no hidden route outside /openapi.json that is not public', () => {
    const documented = new Set(operations.map((op) => `${op.method} ${op.path}`));
    const hidden = routes.flatMap(routeNames).filter((r) => !documented.has(r) && !PUBLIC_ROUTES.has(r));
    expect(hidden).toEqual([]);
  });

  it('answers 401 JSON to an anonymous call of every other route', async () => {
    const open: string[] = [];
    for (const op of operations) {
      if (PUBLIC_ROUTES.has(`${op.method} ${op.path}`)) continue;
      // Path parameters get a well-formed value so that the request reaches the route itself.
      const url = op.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.request({
        method: op.method as 'GET',
        url,
        payload: op.method === 'GET' ? undefined : {},
      });
      if (res.statusCode !== 401 || res.json().error_code !== 'not_authenticated') {
        open.push(`${op.method} ${op.path} -> ${res.statusCode}`);
      }
    }
    expect(open).toEqual([]);
  });
});
