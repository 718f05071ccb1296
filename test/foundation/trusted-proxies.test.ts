import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../support/app.js';

const UNKNOWN = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';
/** The per-address budget of public shared-record reads (records.routes.ts PUBLIC_RECORD_LIMIT). */
const PUBLIC_READS = 120;

/** X-Forwarded-For names the client only when a trusted proxy (TRUSTED_PROXIES) says so. */
describe('per-address rate limits behind a proxy', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const read = (app: TestApp, remoteAddress: string, forwardedFor: string) =>
    app.request({
      method: 'GET',
      url: `/credentials/records/programs/shared/${UNKNOWN}/csv`,
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('counts each client behind a configured proxy on its own budget', async () => {
    t = await testApp({ config: { trustedProxies: ['10.0.0.0/8'] } });
    for (let i = 0; i < PUBLIC_READS; i++)
      expect((await read(t, '10.0.0.2', '203.0.113.7')).statusCode).toBe(404);
    expect((await read(t, '10.0.0.2', '203.0.113.7')).statusCode).toBe(429);
    // Another client behind the same proxy is not punished for the first one.
    expect((await read(t, '10.0.0.2', '203.0.113.8')).statusCode).toBe(404);
    // A client that is not a configured proxy cannot claim to be someone else: its own address counts.
    expect((await read(t, '192.0.2.9', '203.0.113.7')).statusCode).toBe(404);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy (no TRUSTED_PROXIES)', async () => {
    t = await testApp();
    // Inventing a new X-Forwarded-For for each request does not buy a fresh budget.
    for (let i = 0; i < PUBLIC_READS; i++)
      expect((await read(t, '192.0.2.9', `198.51.100.${i}`)).statusCode).toBe(404);
    expect((await read(t, '192.0.2.9', '198.51.100.250')).statusCode).toBe(429);
  });
});
