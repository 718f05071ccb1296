/**
 * An MFE on its own origin writing to Campus from Chromium (issue 17 §1), as frontend-platform
 * does it (src/auth/AxiosCsrfTokenService.js and the interceptors): GET {Campus host}/csrf/api/v1/token
 * with credentials and USE-JWT-COOKIE, then the write with credentials, USE-JWT-COOKIE and
 * X-CSRFToken. The write is the learner record MFE's "create public link"
 * (POST {CREDENTIALS_BASE_URL}/records/programs/{uuid}/share).
 *
 * The "MFE" is a tiny HTTP server on another port of 127.0.0.1: another origin of the same site,
 * as learner.example.com is beside campus.example.com, so the LMS's SameSite=Lax JWT cookies (here
 * set by Campus's development sign-in) ride along on its credentialed calls.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATA_SCIENCE } from '../../src/modules/credentials/demo-seed.js';
import { type WebApp, webApp } from './web-app.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CAMPUS_REQUIRE_PG === '1') {
  throw new Error(
    `${CHROMIUM} is missing: CI (CAMPUS_REQUIRE_PG=1) requires the browser tests; apt-get install chromium`,
  );
}

/** The MFE's page: frontend-platform's two steps, written with fetch instead of axios. */
const MFE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Learner record (test MFE)</title></head>
<body><main id="out">MFE</main>
<script type="module">
  const cookieHeaders = { 'USE-JWT-COOKIE': 'true' };
  // AxiosCsrfTokenService.getCsrfToken(url): protocol and host of the request URL + CSRF_TOKEN_API_PATH.
  async function getCsrfToken(url) {
    const u = new URL(url);
    const res = await fetch(u.protocol + '//' + u.host + '/csrf/api/v1/token', {
      credentials: 'include',
      headers: cookieHeaders,
    });
    return (await res.json()).csrfToken;
  }
  window.mfeWrite = async (url, body, { csrf = true } = {}) => {
    const headers = { ...cookieHeaders, 'Content-Type': 'application/json' };
    if (csrf) headers['X-CSRFToken'] = await getCsrfToken(url);
    const res = await fetch(url, { method: 'POST', credentials: 'include', headers, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
</script></body></html>`;

/** What the MFE page's script adds to its window. */
interface MfeWindow {
  mfeWrite(
    url: string,
    body: unknown,
    options?: { csrf: boolean },
  ): Promise<{ status: number; body: unknown }>;
}

async function mfeServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(MFE_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

describe.skipIf(!haveChromium)(
  'an MFE on another origin writes to Campus (skipped: /usr/bin/chromium missing)',
  () => {
    let w: WebApp;
    let browser: Browser;
    let page: Page;
    let listed: { server: Server; origin: string };
    let unlisted: { server: Server; origin: string };
    let shareUrl: string;

    beforeAll(async () => {
      listed = await mfeServer();
      unlisted = await mfeServer();
      w = await webApp({ config: { corsAllowedOrigins: [listed.origin] } });
      shareUrl = `${w.baseUrl}/credentials/records/programs/${DEMO_DATA_SCIENCE}/share`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      // The learner signs in on Campus (standing in for the LMS): the JWT cookie pair for 127.0.0.1.
      const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
      page = await context.newPage();
      await page.goto(`${w.baseUrl}/app/sign-in`);
      await page.getByRole('button', { name: 'Grace Hopper' }).click();
      await page.waitForURL(/\/app\/learner\//);
    });
    afterAll(async () => {
      await browser?.close();
      await w?.close();
      for (const s of [listed, unlisted]) await new Promise((resolve) => s?.server.close(resolve));
    });

    const write = (p: Page, options?: { csrf: boolean }) =>
      p.evaluate(
        ([url, opts]) =>
          (globalThis as unknown as MfeWindow).mfeWrite(url, { username: 'grace.hopper' }, opts),
        [shareUrl, options] as const,
      );

    it('fetches the CSRF token with credentials and shares the record from a listed origin', async () => {
      await page.goto(`${listed.origin}/`);
      const res = await write(page);
      expect(res.status).toBe(201);
      expect((res.body as { url: string }).url).toMatch(/\/records\/programs\/shared\//);
      // The token endpoint left its cookie for Campus's host beside the JWT pair.
      const names = (await page.context().cookies(w.baseUrl)).map((c) => c.name);
      expect(names).toContain('csrftoken');
    });

    it('reads the 403 csrf_token_missing of a write sent without the token', async () => {
      await page.goto(`${listed.origin}/`);
      const res = await write(page, { csrf: false });
      expect(res).toEqual({
        status: 403,
        body: expect.objectContaining({ error_code: 'csrf_token_missing' }),
      });
    });

    it('is blocked by the browser from an origin that is not listed', async () => {
      await page.goto(`${unlisted.origin}/`);
      const error = await write(page).then(
        () => null,
        (err: Error) => err.message,
      );
      expect(error).toMatch(/Failed to fetch/);
    });
  },
);
