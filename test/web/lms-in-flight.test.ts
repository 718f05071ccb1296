import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob, runJob } from '../../src/jobs.js';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../support/stand-in-lms.js';
import { type WebApp, webApp } from './web-app.js';

const CHROMIUM = '/usr/bin/chromium';

/** The learner page with an LMS that fulfils enrollments: one in flight is shown in flight. */
describe.skipIf(!existsSync(CHROMIUM))('an enrollment in flight in the learner page', () => {
  let lms: StandInLms;
  let w: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    lms = await startStandInLms();
    w = await webApp({
      config: {
        lms: lmsConfigOf(lms, 300),
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await lms?.close();
  });

  it('says the learning platform is confirming, then that the learner is enrolled', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    const p = await context.newPage();
    await p.goto(`${w.baseUrl}/app/sign-in`);
    await p.getByRole('button', { name: 'Edsger Dijkstra' }).click();
    await p.waitForURL(/\/app\/learner\//);
    const mine = p.locator('#my-assignments');
    await mine
      .locator('li', { hasText: 'Programming Using Python' })
      .getByRole('link', { name: 'Enroll' })
      .click();
    const run = p.locator('[data-run="course-v1:MITx+6.00.1x+3T2026"]');
    // The LMS cannot answer (twice: the ask and the ask again): the spend stays pending.
    lms.next('enroll', { kind: 'hang' }, 2);
    await run.getByRole('button', { name: /Enroll/ }).click();
    await expect.poll(() => run.textContent(), { timeout: 5_000 }).toContain('confirming your enrollment');
    expect(await run.textContent()).not.toContain('Enrolled');

    // Reconciliation, once the spend is stale, asks the LMS again; the page's next look sees it done.
    w.t.clock.advance(16 * 60_000);
    const job = findJob('fail-stale-transactions');
    if (!job) throw new Error('no fail-stale-transactions job');
    expect(await runJob(w.t.app.campus, job)).toMatchObject({
      ran: true,
      result: { reconciled: { committed: 1 } },
    });
    await expect.poll(() => run.textContent(), { timeout: 5_000 }).toContain('Enrolled: $50.00 paid');
    await context.close();
  });
});
