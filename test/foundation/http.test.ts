import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorResponses } from '../../src/http/error.schemas.js';
import type { CampusModule, RouteOptions } from '../../src/http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../src/http/pagination.js';
import { modules } from '../../src/modules/registry.js';
import { BusinessRule, Conflict, Forbidden, NotFound, ValidationFailed } from '../../src/shared/errors.js';
import { type TestApp, testApp } from '../support/app.js';

const failures: Record<string, () => never> = {
  'not-found': () => {
    throw new NotFound('No such policy.', 'policy_not_found');
  },
  conflict: () => {
    throw new Conflict('Key reused with another payload.', 'idempotency_key_conflict');
  },
  forbidden: () => {
    throw new Forbidden();
  },
  rule: () => {
    throw new BusinessRule('policy_spend_limit_reached', 'The budget is spent.', { reasons: ['x'] });
  },
  invalid: () => {
    throw ValidationFailed.field('end', 'must be after start', 'end_before_start');
  },
  crash: () => {
    throw new Error('secret internals: password=hunter2');
  },
};

const items = Array.from({ length: 45 }, (_, i) => ({ n: i + 1 }));

/** A module that exists only in this test, to drive the shared error, validation and paging code. */
const probeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.get(
    '/fail/:kind/',
    {
      schema: { params: z.object({ kind: z.string() }), response: { 200: z.object({}), ...errorResponses } },
    },
    async (request) => {
      const fail = failures[request.params.kind];
      if (fail) fail();
      return {};
    },
  );
  app.post(
    '/things/',
    {
      schema: {
        body: z.object({ title: z.string().min(1), count: z.number().int().min(0) }).strict(),
        response: { 201: z.object({ title: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send({ title: request.body.title }),
  );
  app.get(
    '/items/',
    {
      schema: {
        querystring: paginationQuery.extend({ q: z.string().optional() }),
        response: { 200: pageSchema(z.object({ n: z.number() })), ...errorResponses },
      },
    },
    async (request) => {
      const { offset, limit } = pageWindow(request.query);
      return toPage(request, request.query, items.length, items.slice(offset, offset + limit));
    },
  );
};
const probe: CampusModule = { name: 'probe', prefix: '/probe', routes: probeRoutes };

describe('HTTP conventions', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await testApp({ modules: [...modules, probe] });
    token = await t.token({ userId: 1 });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url, as: token, headers });

  it.each([
    ['not-found', 404, 'policy_not_found'],
    ['conflict', 409, 'idempotency_key_conflict'],
    ['forbidden', 403, 'forbidden'],
    ['rule', 422, 'policy_spend_limit_reached'],
    ['invalid', 400, 'end_before_start'],
  ])('maps a %s domain error to %i with error_code %s', async (kind, status, code) => {
    const res = await get(`/probe/fail/${kind}/`);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error_code: code, detail: expect.any(String) });
  });

  it('keeps the extra fields of a domain error', async () => {
    expect((await get('/probe/fail/rule/')).json().reasons).toEqual(['x']);
    expect((await get('/probe/fail/invalid/')).json().errors).toEqual({ end: ['must be after start'] });
  });

  it('answers an unexpected error with 500, a request id and nothing internal', async () => {
    const res = await get('/probe/fail/crash/');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error_code).toBe('internal_error');
    expect(body.request_id).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/hunter2|secret internals|at .*\.ts/);
  });

  it('answers a malformed body with 400 and the errors per field', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/probe/things/',
      as: token,
      payload: { title: '', count: 1.5, extra: true },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error_code).toBe('validation_failed');
    expect(Object.keys(body.errors).sort()).toEqual(['count', 'non_field_errors', 'title'].sort());
  });

  it('answers invalid JSON with 400 malformed_json', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/probe/things/',
      as: token,
      headers: { 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('malformed_json');
  });

  it('answers an unsupported content type with 415 JSON', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/probe/things/',
      as: token,
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error_code).toBe('unsupported_media_type');
  });

  it('answers an unknown path with 404 JSON, with or without a token', async () => {
    for (const as of [token, null]) {
      const res = await t.request({ method: 'GET', url: '/no/such/thing/', as });
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('not_found');
    }
  });

  it('reaches the same route with and without the trailing slash', async () => {
    expect((await get('/probe/items/')).statusCode).toBe(200);
    expect((await get('/probe/items')).statusCode).toBe(200);
    expect((await get('/api/v1/me')).statusCode).toBe(200);
  });

  it('pages with absolute next/previous links that keep the other parameters', async () => {
    const first = (await get('/probe/items/?q=a%2Bb&page_size=20')).json();
    expect(first).toMatchObject({ count: 45, num_pages: 3, current_page: 1, previous: null });
    expect(first.results.map((r: { n: number }) => r.n)).toEqual(items.slice(0, 20).map((i) => i.n));
    const next = new URL(first.next);
    expect(next.origin).toBe('http://localhost');
    expect(next.searchParams.get('q')).toBe('a+b');
    expect(next.searchParams.get('page')).toBe('2');
    const second = (await get(next.pathname + next.search)).json();
    expect(second.results[0].n).toBe(21);
    expect(new URL(second.previous).searchParams.has('page')).toBe(false);
    const last = (await get('/probe/items/?page=3&page_size=20')).json();
    expect(last.next).toBeNull();
    expect(last.results).toHaveLength(5);
  });

  it('ignores X-Forwarded-Host and -Proto from a client that is not a trusted proxy', async () => {
    const res = await get('/probe/items/?page_size=10', {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
    });
    expect(res.json().next).toBe('http://localhost/probe/items/?page_size=10&page=2');
  });

  it('builds links from the forwarded host and protocol behind a trusted proxy (TRUSTED_PROXIES)', async () => {
    const proxied = await testApp({
      modules: [...modules, probe],
      config: { trustedProxies: ['10.0.0.0/8'] },
    });
    try {
      const page = (remoteAddress: string) =>
        proxied.request({
          method: 'GET',
          url: '/probe/items/?page_size=10',
          as: token,
          remoteAddress,
          headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'campus.example.com' },
        });
      expect((await page('10.1.2.3')).json().next).toBe(
        'https://campus.example.com/probe/items/?page_size=10&page=2',
      );
      expect((await page('192.0.2.1')).json().next).toBe('http://localhost/probe/items/?page_size=10&page=2');
    } finally {
      await proxied.close();
    }
  });

  it('refuses a page past the end and a page size over 100', async () => {
    expect((await get('/probe/items/?page=4')).json().error_code).toBe('invalid_page');
    const big = await get('/probe/items/?page_size=101');
    expect(big.statusCode).toBe(400);
    expect(big.json().errors.page_size).toBeDefined();
  });

  it('serves health, metrics, OpenAPI and the reference pages without a token', async () => {
    const health = await t.request({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok', database: 'ok', dialect: 'pglite' });
    const spec = await t.request({ method: 'GET', url: '/openapi.json' });
    expect(spec.json().openapi).toBe('3.1.0');
    expect(spec.json().paths['/api/v1/me/'].get.security).toEqual([{ jwt: [] }]);
    const docs = await t.request({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      /campus_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    expect(metrics.body).toMatch(/campus_http_request_duration_seconds_bucket/);
  });

  it('serves /metrics only with Authorization: Bearer <METRICS_TOKEN> when METRICS_TOKEN is set', async () => {
    const guarded = await testApp({ config: { metricsToken: 'scrape-token-0123456789' } });
    try {
      const scrape = (authorization?: string) =>
        guarded.request({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      for (const wrong of [
        undefined,
        'Bearer wrong-token-0123456789',
        'Basic c2NyYXBl',
        'scrape-token-0123456789',
      ]) {
        const res = await scrape(wrong);
        expect(res.statusCode, wrong).toBe(401);
        expect(res.json().error_code, wrong).toBe('metrics_token_required');
        expect(res.body).not.toContain('campus_http_requests_total');
      }
      const ok = await scrape('Bearer scrape-token-0123456789');
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('campus_http_requests_total');
      // The token guards /metrics only.
      expect((await guarded.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('reports an unreachable database on /healthz with 503', async () => {
    const { buildApp } = await import('../../src/app.js');
    const broken = await buildApp({
      db: { ...t.db, ping: () => Promise.reject(new Error('down')) },
      config: t.config,
      clock: t.clock,
    });
    const res = await broken.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    await broken.close();
  });
});
