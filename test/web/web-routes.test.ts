import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG } from '../../src/demo-users.js';
import { type TestApp, testApp } from '../support/app.js';

/** The Set-Cookie lines of an answer, each as its name, value and attributes (lower-cased names). */
function cookiesOf(header: string | string[] | number | undefined) {
  return ([] as string[]).concat((header as string | string[] | undefined) ?? []).map((line) => {
    const [pair = '', ...attributes] = line.split('; ');
    const eq = pair.indexOf('=');
    return {
      name: pair.slice(0, eq),
      value: pair.slice(eq + 1),
      attributes: Object.fromEntries(
        attributes.map((a) => {
          const [k = '', v = true] = a.split('=');
          return [k.toLowerCase(), v];
        }),
      ),
    };
  });
}

/** The pages' routes without a browser: web/ through @fastify/static, the sign-in cookies. */
describe('web routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t?.close());

  it('serves web/ scripts, in subfolders too, and styles with their content types, without a token', async () => {
    const cases = [
      ['/app/assets/app.js', /^text\/javascript; charset=utf-8$/, "from './lib.js'"],
      ['/app/assets/admin/budgets.js', /^text\/javascript; charset=utf-8$/, 'export function budgetsPage'],
      ['/app/assets/app.css', /^text\/css; charset=utf-8$/, '.status'],
    ] as const;
    for (const [url, type, text] of cases) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(type);
      expect(res.body, url).toContain(text);
    }
    const head = await t.request({ method: 'HEAD', url: '/app/assets/lib.js' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/javascript/);
    expect(head.body).toBe('');
  });

  it('lets a browser revalidate: an ETag, then 304 for the unchanged file', async () => {
    const first = await t.request({ method: 'GET', url: '/app/assets/lib.js' });
    expect(first.headers['cache-control']).toBe('public, max-age=0');
    const etag = String(first.headers.etag);
    const again = await t.request({
      method: 'GET',
      url: '/app/assets/lib.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 not_found for anything under /app/assets/ that is not a script or a style of web/', async () => {
    for (const url of [
      '/app/assets/shell.html',
      '/app/assets/api-types.d.ts',
      '/app/assets/..%2Fpackage.json',
      '/app/assets/../package.json',
      '/app/assets/admin/..%2F..%2Fpackage.json',
      '/app/assets/.hidden.js',
      '/app/assets/missing.js',
      '/app/assets/admin/',
      '/app/assets/',
    ]) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ detail: expect.any(String), error_code: 'not_found' });
    }
  });

  it('keeps the pages and their assets out of /openapi.json', async () => {
    const spec = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/app'))).toEqual([]);
  });

  it('signs in with the LMS cookie pair: Path=/, Max-Age of 8 hours, SameSite=Lax, the signature HttpOnly', async () => {
    const staff = await t.token({ userId: 1, isStaff: true });
    const made = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-customer/',
      as: staff,
      payload: { name: 'Demo University', slug: DEMO_SLUG },
    });
    expect(made.statusCode).toBe(201);
    const res = await t.request({
      method: 'POST',
      url: '/app/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=ada.lovelace',
    });
    expect(res.statusCode).toBe(303);
    const [readable, signature] = cookiesOf(res.headers['set-cookie']);
    expect(readable).toMatchObject({
      name: 'edx-jwt-cookie-header-payload',
      value: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      attributes: { path: '/', 'max-age': String(8 * 3600), samesite: 'Lax' },
    });
    expect(readable?.attributes).not.toHaveProperty('httponly');
    expect(signature).toMatchObject({
      name: 'edx-jwt-cookie-signature',
      value: expect.stringMatching(/^[\w-]+$/),
      attributes: { path: '/', 'max-age': String(8 * 3600), httponly: true, samesite: 'Lax' },
    });
  });

  it('signs out by clearing both cookies with Max-Age=0 and the same attributes', async () => {
    const res = await t.request({ method: 'POST', url: '/app/sign-out' });
    expect(res.statusCode).toBe(303);
    const [readable, signature] = cookiesOf(res.headers['set-cookie']);
    expect(readable).toMatchObject({
      name: 'edx-jwt-cookie-header-payload',
      value: '',
      attributes: { path: '/', 'max-age': '0', samesite: 'Lax' },
    });
    expect(readable?.attributes).not.toHaveProperty('httponly');
    expect(signature).toMatchObject({
      name: 'edx-jwt-cookie-signature',
      value: '',
      attributes: { path: '/', 'max-age': '0', httponly: true, samesite: 'Lax' },
    });
  });
});
