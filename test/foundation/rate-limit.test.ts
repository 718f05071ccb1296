import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob, runJob } from '../../src/jobs.js';
import { personas, type TestApp, testApp } from '../support/app.js';

const UNKNOWN = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';

describe('rate limits and request size', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
  });
  afterAll(() => t.close());

  const share = (who: string | null) =>
    t.request({
      method: 'POST',
      url: `/credentials/records/programs/${UNKNOWN}/share`,
      payload: { username: 'user101' },
      as: who,
    });

  it('lets a learner share or send 15 times a minute, then answers 429 with Retry-After until the next minute', async () => {
    t.clock.set('2026-06-01T12:00:10Z');
    as = await personas(t);
    for (let i = 0; i < 15; i++) expect((await share(as.learnerA)).statusCode).not.toBe(429);
    const limited = await share(as.learnerA);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('50');
    expect(limited.json()).toMatchObject({ error_code: 'rate_limited', error: 'Too Many Requests' });
    // Sending to a pathway shares the budget: it is the same kind of action on the same record.
    const send = await t.request({
      method: 'POST',
      url: `/credentials/records/programs/${UNKNOWN}/send`,
      payload: { username: 'user101', pathway_id: UNKNOWN },
      as: as.learnerA,
    });
    expect(send.statusCode).toBe(429);
    // Another learner has a budget of their own; staff are not limited.
    expect((await share(as.learnerB)).statusCode).not.toBe(429);
    for (let i = 0; i < 20; i++) expect((await share(as.staff)).statusCode).not.toBe(429);
    // The next window starts afresh.
    t.clock.set('2026-06-01T12:01:00Z');
    expect((await share(as.learnerA)).statusCode).not.toBe(429);
  });

  it('limits public reads of shared records per client address', async () => {
    t.clock.set('2026-06-01T13:00:00Z');
    const read = (remoteAddress: string) =>
      t.request({ method: 'GET', url: `/credentials/records/programs/shared/${UNKNOWN}/csv`, remoteAddress });
    for (let i = 0; i < 120; i++) expect((await read('203.0.113.7')).statusCode).toBe(404);
    const limited = await read('203.0.113.7');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await read('203.0.113.8')).statusCode).toBe(404);
  });

  it('lets a learner ask for credit 20 times an hour', async () => {
    t.clock.set('2026-06-01T14:00:00Z');
    as = await personas(t);
    const ask = () =>
      t.request({
        method: 'POST',
        url: '/access/api/v1/learner-credit-requests/',
        payload: {
          policy_uuid: UNKNOWN,
          course_id: 'edX+DemoX',
          course_price: 1000,
          enterprise_customer_uuid: UNKNOWN,
        },
        as: as.learnerA,
      });
    for (let i = 0; i < 20; i++) expect((await ask()).statusCode).not.toBe(429);
    const limited = await ask();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBe(3600);
  });

  it('prunes windows older than a day', async () => {
    const job = findJob('prune-rate-limits');
    if (!job) throw new Error('no job');
    t.clock.set('2026-06-03T00:00:00Z');
    const r = await runJob(t.app.campus, job);
    expect(r).toMatchObject({ ran: true, result: { deleted: expect.any(Number) } });
    if (r.ran) expect(r.result.deleted).toBeGreaterThan(0);
    const left = await t.db.kysely.selectFrom('rate_limit_windows').selectAll().execute();
    expect(left).toEqual([]);
  });

  it('refuses a body over 1 MiB with 413 JSON, before reading it all', async () => {
    t.clock.set('2026-06-03T00:00:00Z');
    as = await personas(t);
    const res = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-customer/',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), slug: 'big' }),
      as: as.operator,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toHaveProperty('error_code');
  });
});
