import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type WebApp, webApp } from './web-app.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CAMPUS_REQUIRE_PG === '1') {
  throw new Error(
    `${CHROMIUM} is missing: CI (CAMPUS_REQUIRE_PG=1) requires the browser tests; apt-get install chromium`,
  );
}

describe.skipIf(!haveChromium)('web pages in Chromium (skipped: /usr/bin/chromium missing)', () => {
  let w: WebApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    w = await webApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });
  afterEach(async (testCtx) => {
    if (testCtx.task.result?.state === 'fail' && page) {
      await mkdir('test-results', { recursive: true });
      await page.screenshot({
        path: `test-results/${testCtx.task.name.replace(/\W+/g, '-')}.png`,
        fullPage: true,
      });
    }
    await page?.context().close();
  });

  async function signIn(name: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    await page.goto(`${w.baseUrl}/app/sign-in`);
    await page.getByRole('button', { name }).click();
    await page.waitForURL(/\/app\/(admin|learner)\//);
    return page;
  }

  it('an admin sees every budget as a card with its figures and status', async () => {
    const p = await signIn('Ada Lovelace');
    await expect.poll(() => p.locator('.budget').count()).toBe(4);
    const assigned = p.locator('.budget', { hasText: 'Assigned courses' });
    await expect.poll(() => assigned.textContent()).toContain('Assigned credit');
    const text = (await assigned.textContent()) ?? '';
    expect(text).toContain('Active');
    expect(text).toContain('$50.00'); // spent: Katherine's enrollment
    expect(text).toContain('$299.00'); // allocated: Alan and Edsger at $50, Edsger at $199
    expect(await p.locator('.budget', { hasText: 'Browse & request' }).count()).toBe(1);
  });

  it('an admin assigns a run to two learners, sees them in the assigned table, and cancels one', async () => {
    const p = await signIn('Ada Lovelace');
    await p.getByRole('link', { name: 'Assigned courses' }).click();
    await p.locator('#assigned-table').waitFor();
    await p.getByRole('tab', { name: 'Assign' }).click();
    await p.getByLabel('Course title').fill('machine learning');
    await p.getByRole('button', { name: 'Search', exact: true }).click();
    await expect
      .poll(() => p.locator('#run-select option').first().textContent())
      .toContain('Machine Learning');
    await p
      .getByLabel('Learner emails')
      .fill(
        'new.one@demo-university.example, NEW.ONE@demo-university.example\nnew.two@demo-university.example',
      );
    await expect.poll(() => p.locator('#assign-summary').textContent()).toContain('2 learner(s)');
    expect(await p.locator('#assign-summary').textContent()).toContain('2 × $35.00 = $70.00');
    await p.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect
      .poll(() => p.locator('#assign-result').textContent())
      .toContain('2 created, 0 updated, 0 unchanged');

    await p.getByRole('tab', { name: 'Activity' }).click();
    const row = p.locator('#assigned-table tr', { hasText: 'new.two@demo-university.example' });
    await row.waitFor();
    expect(await row.locator('[data-col="learner-state"]').textContent()).toMatch(/Notifying|Waiting/);
    await p.locator('#spent-table').waitFor();
    // The README's picture: refreshed on demand, so that a test run leaves the tree clean.
    if (process.env.CAMPUS_SCREENSHOTS === '1') {
      await p.setViewportSize({ width: 1100, height: 900 });
      await p.screenshot({ path: 'docs/budget-detail.png', fullPage: true });
    }
    p.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: /^Cancel/ }).click();
    await expect
      .poll(() => p.locator('#assigned-table').textContent())
      .not.toContain('new.two@demo-university.example');
    expect(await p.locator('#assigned-table').textContent()).toContain('new.one@demo-university.example');
  });

  it('a learner sees an assignment, enrolls, and the admin sees the enrollment in the spent table', async () => {
    const p = await signIn('Edsger Dijkstra');
    const mine = p.locator('#my-assignments');
    await mine.waitFor();
    expect(await mine.textContent()).toContain(
      'Introduction to Computer Science and Programming Using Python',
    );
    await mine
      .locator('li', { hasText: 'Programming Using Python' })
      .getByRole('link', { name: 'Enroll' })
      .click();
    const run = p.locator('[data-run="course-v1:MITx+6.00.1x+3T2026"]');
    await run.getByRole('button', { name: /Enroll/ }).click();
    await expect.poll(() => run.textContent()).toContain('Enrolled: $50.00 paid');

    const admin = await signIn('Ada Lovelace');
    await admin.getByRole('link', { name: 'Assigned courses' }).click();
    await expect
      .poll(() => admin.locator('#spent-table').textContent())
      .toContain('edsger.dijkstra@demo-university.example');
  });

  it('a learner dismisses a cancelled assignment', async () => {
    const p = await signIn('Margaret Hamilton');
    const cancelled = p.locator('#my-assignments li[data-state="cancelled"]');
    await cancelled.waitFor();
    await cancelled.getByRole('button', { name: /Dismiss/ }).click();
    await expect.poll(() => p.locator('[role="status"]').first().textContent()).toContain('Dismissed.');
  });
});

describe('web page routes', () => {
  let w: WebApp;
  afterAll(() => w?.close());

  it('serves the HTML shells and scripts without a token, and not in /openapi.json', async () => {
    w = await webApp();
    const shell = await w.t.request({ method: 'GET', url: `/app/admin/${w.slug}/` });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['content-type']).toMatch(/^text\/html/);
    expect(shell.body).toContain('&#34;view&#34;:&#34;admin-budgets&#34;');
    const script = await w.t.request({ method: 'GET', url: '/app/assets/lib.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('USE-JWT-COOKIE');
    expect((await w.t.request({ method: 'GET', url: '/app/assets/..%2Fpackage.json' })).statusCode).toBe(404);
    const spec = (await w.t.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/app'))).toEqual([]);
  });

  it('signs a demo user in with the LMS cookie pair that the API accepts', async () => {
    const res = await w.t.request({
      method: 'POST',
      url: '/app/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=ada.lovelace',
    });
    expect(res.statusCode).toBe(303);
    const cookies = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0] ?? '');
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual([
      'edx-jwt-cookie-header-payload',
      'edx-jwt-cookie-signature',
    ]);
    const me = await w.t.request({
      method: 'GET',
      url: `/access/api/v1/subsidy-access-policies/?enterprise_customer_uuid=${w.enterpriseUuid}`,
      headers: { cookie: cookies.join('; ') },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().count).toBe(4);
  });

  it('has no sign-in page in production', async () => {
    const { testApp } = await import('../support/app.js');
    const prod = await testApp({ config: { env: 'production' } });
    try {
      expect((await prod.request({ method: 'GET', url: '/app/sign-in' })).statusCode).toBe(404);
      expect((await prod.request({ method: 'POST', url: '/app/sign-in', payload: {} })).statusCode).toBe(404);
      expect((await prod.request({ method: 'GET', url: '/app/learner/x/' })).statusCode).toBe(200);
    } finally {
      await prod.close();
    }
  });
});
