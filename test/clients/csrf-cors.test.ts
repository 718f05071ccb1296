/**
 * Writes from the browser (issue 17 §1): the Open edX MFEs (frontend-app-learner-portal-enterprise,
 * frontend-app-admin-portal, frontend-app-learner-record) run on their own origins and call Campus
 * through frontend-platform's axios client, which
 * - sends every call with credentials and `USE-JWT-COOKIE: true`
 *   (src/auth/interceptors/createJwtTokenProviderInterceptor.js), so every call is preflighted;
 * - before a POST/PUT/PATCH/DELETE, GETs `{protocol}://{host of the request URL}` +
 *   CSRF_TOKEN_API_PATH (`/csrf/api/v1/token`), reads `csrfToken` and sends it as `X-CSRFToken`
 *   (src/auth/AxiosCsrfTokenService.js, src/auth/interceptors/createCsrfTokenProviderInterceptor.js).
 * The write used here is the learner record MFE's "create public link"
 * (src/components/ProgramRecord/... → POST {CREDENTIALS_BASE_URL}/records/programs/{uuid}/share).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_COOKIE_HEADER_PAYLOAD, JWT_COOKIE_SIGNATURE } from '../../src/http/auth.js';
import { CORS_ALLOWED_HEADERS } from '../../src/http/cors.js';
import { DEMO_DATA_SCIENCE } from '../../src/modules/credentials/demo-seed.js';
import { testApp } from '../support/app.js';
import { type WebApp, webApp } from '../web/web-app.js';

const MFE = 'https://learner-record.example.com';
const OTHER = 'https://evil.example.net';
/** CREDENTIALS_BASE_URL of the learner record MFE: Campus's credentials module. */
const CREDENTIALS_BASE = 'http://localhost/credentials';
const SHARE = `${CREDENTIALS_BASE}/records/programs/${DEMO_DATA_SCIENCE}/share`;
const GRACE = { userId: 3001, username: 'grace.hopper', roles: [] as string[] };

/** AxiosCsrfTokenService.getCsrfToken: the protocol and host of the request URL, then the path. */
const csrfTokenUrl = (requestUrl: string) => {
  const u = new URL(requestUrl);
  return `${u.protocol}//${u.host}/csrf/api/v1/token`;
};

const cookiePair = (token: string) => {
  const [h, p, sig] = token.split('.');
  return `${JWT_COOKIE_HEADER_PAYLOAD}=${h}.${p}; ${JWT_COOKIE_SIGNATURE}=${sig}`;
};

const setCookieOf = (res: LightMyRequestResponse) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

describe('CSRF token and CORS for the MFEs (frontend-platform)', () => {
  let w: WebApp;
  let jwt: string;

  beforeAll(async () => {
    w = await webApp({ config: { corsAllowedOrigins: [MFE] } });
    jwt = await w.t.token(GRACE);
  });
  afterAll(() => w?.close());

  /** What AxiosCsrfTokenService sends: a GET with credentials and USE-JWT-COOKIE, from the MFE. */
  const fetchToken = (cookie: string) =>
    w.t.request({
      method: 'GET',
      url: new URL(csrfTokenUrl(SHARE)).pathname,
      headers: { origin: MFE, cookie, 'use-jwt-cookie': 'true', accept: 'application/json' },
    });

  const share = (headers: Record<string, string>) =>
    w.t.request({
      method: 'POST',
      url: new URL(SHARE).pathname,
      headers: { origin: MFE, 'content-type': 'application/json', ...headers },
      payload: { username: GRACE.username },
    });

  it('serves the token at the root of the host, whatever the service base URL (AxiosCsrfTokenService.js)', async () => {
    expect(csrfTokenUrl(SHARE)).toBe('http://localhost/csrf/api/v1/token');
    const res = await fetchToken(cookiePair(jwt));
    expect(res.statusCode).toBe(200);
    const { csrfToken } = res.json();
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [cookie] = setCookieOf(res);
    expect(cookie).toMatch(new RegExp(`^csrftoken=${csrfToken}; Max-Age=\\d+; Path=/; SameSite=Lax$`));
    expect(res.headers['cache-control']).toBe('no-store');
    // Read by the MFE across origins: the answer carries the CORS headers for it.
    expect(res.headers['access-control-allow-origin']).toBe(MFE);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    // Anonymous callers get one too (edx-drf-extensions' view needs no sign-in).
    expect((await fetchToken('')).statusCode).toBe(200);
  });

  it('hands out the same token again while the cookie is set, so apps open side by side agree', async () => {
    const first = (await fetchToken(cookiePair(jwt))).json().csrfToken;
    const again = await fetchToken(`${cookiePair(jwt)}; csrftoken=${first}`);
    expect(again.json().csrfToken).toBe(first);
    // The LMS's own (Django) csrftoken, set on the parent domain, is not taken for Campus's.
    const django = 'a'.repeat(64);
    const beside = await fetchToken(`csrftoken=${django}; ${cookiePair(jwt)}`);
    expect(beside.json().csrfToken).not.toBe(django);
  });

  it('refuses a cookie-authenticated write without X-CSRFToken: 403 csrf_token_missing (learner record MFE share)', async () => {
    const res = await share({
      cookie: `${cookiePair(jwt)}; csrftoken=${'t'.repeat(43)}`,
      'use-jwt-cookie': 'true',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('csrf_token_missing');
    // The MFE can read why: the refusal carries its CORS headers.
    expect(res.headers['access-control-allow-origin']).toBe(MFE);
  });

  it('refuses an X-CSRFToken that matches no csrftoken cookie: 403 csrf_token_invalid', async () => {
    const token = (await fetchToken(cookiePair(jwt))).json().csrfToken as string;
    const cases = [
      {
        cookie: `${cookiePair(jwt)}; csrftoken=${token}`,
        header: `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`,
      },
      { cookie: cookiePair(jwt), header: token },
    ];
    for (const { cookie, header } of cases) {
      const res = await share({ cookie, 'use-jwt-cookie': 'true', 'x-csrftoken': header });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('csrf_token_invalid');
    }
  });

  it('accepts the write when X-CSRFToken equals the cookie, as the MFE sends it', async () => {
    const tokenAnswer = await fetchToken(cookiePair(jwt));
    const { csrfToken } = tokenAnswer.json();
    const csrfCookie = (setCookieOf(tokenAnswer)[0] ?? '').split(';')[0];
    // The LMS's csrftoken may come first in the Cookie header; Campus's is still found.
    const res = await share({
      cookie: `csrftoken=${'d'.repeat(64)}; ${cookiePair(jwt)}; ${csrfCookie}`,
      'use-jwt-cookie': 'true',
      'x-csrftoken': csrfToken,
    });
    expect([200, 201]).toContain(res.statusCode);
    expect(res.json().url).toMatch(/\/records\/programs\/shared\//);
    expect(res.headers['access-control-allow-origin']).toBe(MFE);
  });

  it('checks authentication before CSRF: a forged cookie pair is 401, not 403', async () => {
    const res = await share({ cookie: cookiePair(`${jwt}x`), 'use-jwt-cookie': 'true' });
    expect(res.statusCode).toBe(401);
  });

  it('needs no CSRF token on a write authenticated by the Authorization header', async () => {
    const res = await share({ authorization: `JWT ${jwt}` });
    expect([200, 201]).toContain(res.statusCode);
  });

  it('answers a preflight from an allowed origin with the headers and methods the MFEs send, before auth', async () => {
    const res = await w.t.request({
      method: 'OPTIONS',
      url: new URL(SHARE).pathname,
      headers: {
        origin: MFE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,use-jwt-cookie,x-csrftoken',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(MFE);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const methods = String(res.headers['access-control-allow-methods']).split(/,\s*/);
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) expect(methods).toContain(m);
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    for (const h of ['authorization', 'content-type', 'use-jwt-cookie', 'x-csrftoken', 'x-requested-with'])
      expect(allowed).toContain(h);
    expect(CORS_ALLOWED_HEADERS.map((h) => h.toLowerCase()).sort()).toEqual([...allowed].sort());
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('answers an OPTIONS from an allowed origin without Access-Control-Request-Method as a preflight, not a plain-text 400', async () => {
    const res = await w.t.request({
      method: 'OPTIONS',
      url: new URL(SHARE).pathname,
      headers: { origin: MFE },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(MFE);
  });

  it('gives an origin that is not listed no CORS headers, on a preflight or an actual request', async () => {
    const preflight = await w.t.request({
      method: 'OPTIONS',
      url: new URL(SHARE).pathname,
      headers: { origin: OTHER, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
    const token = await w.t.request({
      method: 'GET',
      url: '/csrf/api/v1/token',
      headers: { origin: OTHER },
    });
    for (const res of [preflight, token]) {
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
      expect(cors).toEqual([]);
    }
  });
});

describe('CORS by default (no CORS_ALLOWED_ORIGINS)', () => {
  it('answers no origin with CORS headers, and OPTIONS 404 as before', async () => {
    const t = await testApp();
    try {
      const res = await t.request({
        method: 'OPTIONS',
        url: '/api/v1/me/',
        headers: { origin: MFE, 'access-control-request-method': 'GET' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const plain = await t.request({ method: 'OPTIONS', url: '/api/v1/me/' });
      expect(plain.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
