/**
 * `npm start -- --demo` (here CAMPUS_DEMO=1) is the one command that shows the web pages with data
 * (issue 15 §1, §4): the demo data is there when the server answers, and the server says where the
 * pages are and whom to sign in as. Not on a terminal, every log line is JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG } from '../../src/demo-users.js';
import { signDevToken } from '../../src/http/auth.js';
import { startCampus } from '../support/campus-process.js';

const SECRET = 'serve-demo-test-secret-0123456789';

describe('campus serve --demo', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'campus-demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the demo data before it answers and says where to start, in JSON log lines', async () => {
    const server = await startCampus({
      databaseUrl: '',
      jwtSecret: SECRET,
      // A real secret, so the development sign-in is switched on explicitly.
      env: {
        CAMPUS_DATA_DIR: dir,
        CAMPUS_DEMO: '1',
        CAMPUS_DEV_SIGN_IN: '1',
        SCHEDULER: 'off',
        LOG_LEVEL: 'info',
      },
      readyTimeoutMs: 180_000,
    });
    try {
      const operator = await signDevToken(SECRET, {
        userId: 1,
        username: 'operator',
        roles: ['enterprise_openedx_operator:*'],
        expiresIn: 3600,
      });
      const customers = await server.request({
        method: 'GET',
        path: '/enterprise/api/v1/enterprise-customer/?page_size=100',
        as: operator,
      });
      expect((customers.body as { results: { slug: string }[] }).results.map((c) => c.slug)).toContain(
        DEMO_SLUG,
      );

      const lines = server
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '');
      const logs = lines.map((l) => JSON.parse(l) as { msg?: string; banner?: string[] });
      const banner = logs.find((l) => l.banner)?.banner ?? [];
      expect(banner).toContain(`  Web pages       ${server.base}/app/`);
      expect(banner.join('\n')).toContain(`${server.base}/docs`);
      expect(banner.join('\n')).toContain(`Sign in at ${server.base}/app/sign-in`);
      expect(banner.join('\n')).toMatch(/ada\.lovelace\s+Admin/);
    } finally {
      await server.stop();
    }
  });
});
