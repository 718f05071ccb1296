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
  const opened: Page[] = [];

  beforeAll(async () => {
    w = await webApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });
  afterEach(async (testCtx) => {
    // Every page the test opened (admin and learner side by side), screenshotted when it failed.
    const failed = testCtx.task.result?.state === 'fail';
    if (failed) await mkdir('test-results', { recursive: true });
    for (const [i, p] of opened.entries()) {
      if (failed && !p.isClosed()) {
        await p.screenshot({
          path: `test-results/${testCtx.task.name.replace(/\W+/g, '-')}-${i + 1}.png`,
          fullPage: true,
        });
      }
      await p.context().close();
    }
    opened.length = 0;
  });

  async function signIn(name: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    opened.push(page);
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

    // At 1200 px every figure stays inside its card ("Spent $249.00" ran past the edge).
    await p.setViewportSize({ width: 1200, height: 900 });
    for (const card of await p.locator('.budget').all()) {
      const box = await card.boundingBox();
      for (const figure of await card.locator('.figures > div').all()) {
        const f = await figure.boundingBox();
        expect(f && box && f.x + f.width <= box.x + box.width, (await figure.textContent()) ?? '').toBe(true);
      }
    }
  });

  it('an admin assigns a run to two learners and cancels one; the other signs in, sees it, enrolls; the admin sees the spend', async () => {
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
        'katherine.johnson@demo-university.example, KATHERINE.johnson@demo-university.example\nnew.two@demo-university.example',
      );
    const runKey = await p.locator('#run-select').inputValue();
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
    expect(await p.locator('#assigned-table').textContent()).toContain(
      'katherine.johnson@demo-university.example',
    );
    // Search narrows the table (a new search starts at page 1).
    await p.getByLabel('Search assigned').fill('katherine');
    await p.getByLabel('Search assigned').press('Tab');
    await expect
      .poll(() => p.locator('#assigned-table').textContent())
      .not.toContain('edsger.dijkstra@demo-university.example');
    expect(await p.locator('#assigned-table').textContent()).toContain(
      'katherine.johnson@demo-university.example',
    );

    const learner = await signIn('Katherine Johnson');
    const mine = learner.locator('#my-assignments');
    await expect.poll(() => mine.textContent()).toContain('Machine Learning');
    await mine.locator('li', { hasText: 'Machine Learning' }).getByRole('link', { name: 'Enroll' }).click();
    const run = learner.locator(`[data-run="${runKey}"]`);
    await run.getByRole('button', { name: /Enroll/ }).click();
    await expect.poll(() => run.textContent()).toContain('Enrolled: $35.00 paid');

    await p.reload();
    await expect
      .poll(() => p.locator('#spent-table').textContent())
      .toContain('katherine.johnson@demo-university.example');
  });

  it('a learner sees an assignment, enrolls, and the admin sees the enrollment in the spent table', async () => {
    const p = await signIn('Edsger Dijkstra');
    const mine = p.locator('#my-assignments');
    await mine.waitFor();
    // An enrollment-capped budget shows enrollments left, not dollars.
    expect(await p.locator('main').textContent()).toMatch(/One course each\s*Left for you: \d+ enrollments?/);
    // A budget shows what the learner can really spend through it: the browse & request budget's
    // own $5,000.00 limit, not the subsidy's whole balance that every budget shares.
    expect(await p.locator('main').textContent()).toMatch(/Browse & request\s*Left for you: \$5,000\.00/);
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

  it('a learner sees program progress, shares a record, sends it to a pathway; the public link opens signed out without the email', async () => {
    const p = await signIn('Grace Hopper');
    await p.getByRole('link', { name: 'My records' }).click();
    const program = (name: string) =>
      p.locator('.program').filter({ has: p.getByRole('link', { name, exact: true }) });
    const dataScience = program('Data Science');
    await expect
      .poll(() => dataScience.locator('.progress').textContent())
      .toMatch(/^(\d+) of \1 courses complete$/);
    expect(await dataScience.textContent()).toContain('Completed');
    const stats = program('Statistics and Data Science');
    expect(await stats.textContent()).toContain('Partially completed');
    expect(await stats.locator('[data-run="course-v1:MITx+6.431x+1T2025"]').textContent()).toContain(
      'excluded from this program',
    );
    expect(await stats.locator('[data-counts="true"]').count()).toBeGreaterThan(0);

    await dataScience.getByRole('link', { name: 'Data Science', exact: true }).click();
    const grades = p.locator('#grades-table');
    await grades.waitFor();
    expect(await grades.textContent()).toContain('97%'); // PH125.2x: the better of two runs
    // Her own view shows her email; the public one must not.
    expect(await p.locator('#record-learner').textContent()).toContain(
      'grace.hopper@demo-university.example',
    );

    // The rate limit has its own words.
    await p.route('**/share', (r) =>
      r.fulfill({ status: 429, contentType: 'application/json', body: '{"detail":"Too Many Requests"}' }),
    );
    await p.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => p.locator('#share-result').textContent()).toContain('Too many requests');
    await p.unroute('**/share');
    await p.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => p.locator('#share-result').textContent()).toContain('Anyone with this link');
    const link = (await p.locator('#public-link').getAttribute('href')) ?? '';
    expect(link).toMatch(/\/app\/records\/shared\/[0-9a-f]{32}\/$/);

    await p.getByLabel('Harvard Extension School credit').check();
    // Over the limit: the learner is told to wait, per pathway.
    await p.route('**/send', (r) =>
      r.fulfill({ status: 429, contentType: 'application/json', body: '{"detail":"Too Many Requests"}' }),
    );
    await p.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => p.locator('#send-results').textContent()).toMatch(/too many requests/i);
    await p.unroute('**/send');
    await p.getByRole('button', { name: 'Send', exact: true }).click();
    await expect
      .poll(() => p.locator('#send-results').textContent())
      .toContain('Sent to Harvard Extension School credit.');

    const anonymous = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    try {
      const pub = await anonymous.newPage();
      // The API's link (the share answer, the pathway's email) opens the same page in a browser.
      const hex = link.split('/').at(-2);
      await pub.goto(`${w.baseUrl}/credentials/records/programs/shared/${hex}/`);
      await pub.waitForURL(link);
      await pub.locator('#public-record #grades-table').waitFor();
      const text = (await pub.locator('main').textContent()) ?? '';
      expect(text).toContain('Data Science record');
      expect(text).toContain('grace.hopper');
      expect(text).not.toContain('@');
      // The CSV the page offers: the record without the email, for anyone with the link.
      const csvHref =
        (await pub.getByRole('link', { name: /Download the record/ }).getAttribute('href')) ?? '';
      const csv = await anonymous.request.get(new URL(csvHref, w.baseUrl).toString());
      expect(csv.status()).toBe(200);
      const body = await csv.text();
      expect(body).toContain('Data Science');
      expect(body).not.toContain('@');
    } finally {
      await anonymous.close();
    }
  });

  it('an admin adds learners by email and sees a new one as pending', async () => {
    const p = await signIn('Ada Lovelace');
    await p.getByRole('link', { name: 'Learners' }).click();
    await expect.poll(() => p.locator('#learners-table').textContent()).toContain('grace.hopper');
    await p
      .getByLabel('Learner emails')
      .fill('newcomer@demo-university.example, alan.turing@demo-university.example');
    await p.getByRole('button', { name: 'Add learners' }).click();
    await expect
      .poll(() => p.locator('#add-result').textContent())
      .toContain('pending until they sign in: newcomer@demo-university.example');
    expect(await p.locator('#add-result').textContent()).toContain(
      'Already learners here: alan.turing@demo-university.example',
    );
    await expect
      .poll(() => p.locator('#pending-invitations').textContent())
      .toMatch(/newcomer@demo-university\.example — invited .*, pending/);
    // Listed by the API, so it is still there after a reload.
    await p.reload();
    await expect
      .poll(() => p.locator('#pending-invitations').textContent())
      .toContain('newcomer@demo-university.example');
  });

  it('a learner requests a course, the admin approves it, and the learner enrolls', async () => {
    const learner = await signIn('Katherine Johnson');
    await learner.goto(`${w.baseUrl}/app/learner/${w.slug}/courses/${encodeURIComponent('MITx+14.310x')}/`);
    await learner.getByRole('button', { name: 'Request' }).click();
    await expect.poll(() => learner.locator('main').textContent()).toContain('Request sent');
    await learner.goto(`${w.baseUrl}/app/learner/${w.slug}/`);
    await expect.poll(() => learner.locator('#my-requests').textContent()).toContain('waiting for approval');

    const admin = await signIn('Ada Lovelace');
    await admin.getByRole('link', { name: 'Browse & request' }).click();
    await admin.getByRole('tab', { name: 'Requests' }).click();
    const row = admin.locator('#requests-table tr', { hasText: 'katherine.johnson@demo-university.example' });
    await row.getByRole('button', { name: /^Approve/ }).click();
    await expect.poll(() => row.textContent()).toContain('Approved: the learner can now enroll.');

    const again = await signIn('Katherine Johnson');
    await expect
      .poll(() => again.locator('#my-requests').textContent())
      .not.toContain('waiting for approval');
    await again.goto(`${w.baseUrl}/app/learner/${w.slug}/courses/${encodeURIComponent('MITx+14.310x')}/`);
    const run = again.locator('[data-run="course-v1:MITx+14.310x+3T2026"]');
    await run.getByRole('button', { name: /Enroll/ }).click();
    await expect.poll(() => run.textContent()).toContain('Enrolled: $199.00 paid');

    const after = await signIn('Ada Lovelace');
    await after.getByRole('link', { name: 'Browse & request' }).click();
    await after.getByRole('tab', { name: 'Requests' }).click();
    await expect
      .poll(() =>
        after
          .locator('#requests-table tr', { hasText: 'katherine.johnson@demo-university.example' })
          .locator('[data-col="request-state"]')
          .textContent(),
      )
      .toMatch(/accepted/i);
  });

  it('works from the keyboard alone: sign in, open a budget, switch to the Assign tab', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    opened.push(page);
    await page.goto(`${w.baseUrl}/app/sign-in`);
    const focusOn = async (text: RegExp) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = (await page.locator(':focus').textContent()) ?? '';
        if (text.test(focused)) return;
      }
      throw new Error(`no focusable element matching ${text}`);
    };
    await focusOn(/Ada Lovelace/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/admin\//);
    await focusOn(/^Assigned courses$/);
    await page.keyboard.press('Enter');
    await page.locator('#assigned-table').waitFor();
    await focusOn(/^Assign$/);
    await page.keyboard.press('Enter');
    // The form's controls are labelled: found by their labels, as a screen reader names them.
    await page.getByLabel('Course title').waitFor();
    await page.getByLabel('Learner emails').waitFor();
  });

  it('a learner dismisses a cancelled assignment', async () => {
    const p = await signIn('Margaret Hamilton');
    const cancelled = p.locator('#my-assignments li[data-state="cancelled"]');
    await cancelled.waitFor();
    await cancelled.getByRole('button', { name: /Dismiss/ }).click();
    await expect.poll(() => p.locator('[role="status"]').first().textContent()).toContain('Dismissed.');
  });
  it('in production, /app/ lists the enterprises of the person the LMS cookies name', async () => {
    const prod = await webApp({ config: { env: 'production' } });
    try {
      const token = await prod.t.token({
        userId: 3001,
        username: 'grace.hopper',
        email: 'grace.hopper@demo-university.example',
      });
      const [header, payload, signature] = token.split('.');
      const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
      await context.addCookies([
        { name: 'edx-jwt-cookie-header-payload', value: `${header}.${payload}`, url: prod.baseUrl },
        { name: 'edx-jwt-cookie-signature', value: signature ?? '', url: prod.baseUrl },
      ]);
      page = await context.newPage();
      opened.push(page);
      await page.goto(`${prod.baseUrl}/app/`);
      await expect.poll(() => page.locator('#app').textContent()).toContain('Demo University');
      await page.getByRole('link', { name: 'Demo University' }).click();
      await page.waitForURL(/\/app\/learner\/demo-university\//);
    } finally {
      await prod.close();
    }
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
    const script = await w.t.request({ method: 'GET', url: '/app/assets/api.js' });
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
