import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { ADMIN_ROLES, client, programFixture } from './fixtures.js';

const PUBLIC_URL = 'https://campus.example.com';
const FORGED = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', host: 'evil.example' };

/** Links that leave the API (the credit-request email, the shared record) are on CAMPUS_PUBLIC_URL. */
describe('links in record emails and shared records', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let alice: string;
  let program: string;
  let pathway: string;

  beforeAll(async () => {
    // Even a trusted proxy cannot aim the links elsewhere: they come from configuration alone.
    t = await testApp({ config: { publicUrl: PUBLIC_URL, trustedProxies: ['127.0.0.1'] } });
    as = await personas(t);
    const admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    const fx = await programFixture(t, as.staff);
    program = fx.P.uuid;
    const created = await admin.post('/api/v2/pathways/', {
      name: 'State University credit',
      org_name: 'State U',
      email: 'registrar@state.example.edu',
      programs: [program],
    });
    expect(created.status).toBe(201);
    pathway = created.body.id;
    alice = await t.token({ userId: 42, username: 'alice', email: 'alice@example.com' });
  });
  afterAll(() => t.close());

  it('puts the configured public URL, not X-Forwarded-Host, into the email sent to the pathway', async () => {
    const sent = await t.request({
      method: 'POST',
      url: `/credentials/records/programs/${program}/send`,
      headers: FORGED,
      payload: { username: 'alice', pathway_id: pathway },
      as: alice,
    });
    expect(sent.statusCode).toBe(200);

    const outbox = await t.request({
      method: 'GET',
      url: '/api/v1/outbox/?to=registrar@state.example.edu',
      as: as.operator,
    });
    expect(outbox.statusCode).toBe(200);
    const [mail] = outbox.json().results as Array<{ text_body: string }>;
    expect(mail).toBeDefined();
    const links = mail!.text_body.match(/https?:\/\/[^\s"<]+/g) ?? [];
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links)
      expect(link.startsWith(`${PUBLIC_URL}/credentials/records/programs/shared/`)).toBe(true);
    expect(links.some((l) => l.endsWith('/csv'))).toBe(true);
    expect(mail!.text_body).not.toContain('evil.example');
  });

  it('hands out the shared record link on the configured public URL', async () => {
    const shared = await t.request({
      method: 'POST',
      url: `/credentials/records/programs/${program}/share`,
      headers: FORGED,
      payload: { username: 'alice' },
      as: alice,
    });
    expect(shared.statusCode).toBeLessThan(300);
    expect(shared.json().url).toMatch(
      /^https:\/\/campus\.example\.com\/credentials\/records\/programs\/shared\/[0-9a-f]{32}\/$/,
    );
  });
});
