import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createTokenVerifier } from '../../src/http/auth.js';
import { systemClock } from '../../src/shared/clock.js';

const bin = path.resolve(import.meta.dirname, '../../bin/campus.mjs');

function campus(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CAMPUS_DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      DATABASE_URL: '',
      NODE_ENV: 'test',
    },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

// Each call starts a process that loads TypeScript: slow on a busy two-core machine.
describe('campus CLI', { timeout: 120_000 }, () => {
  it('prints a development token the server accepts', async () => {
    const r = campus(
      'token',
      '--user-id',
      '7',
      '--email',
      'a@example.com',
      '--role',
      'enterprise_openedx_operator:*',
    );
    expect(r.code).toBe(0);
    const principal = await createTokenVerifier(testConfig(), systemClock).verify(r.out);
    expect(principal).toMatchObject({ lmsUserId: 7, username: 'user7', email: 'a@example.com' });
    expect(principal.grants).toEqual([{ role: 'enterprise_openedx_operator', scope: '*' }]);
  });

  it('exits 2 with a useful message on bad usage', () => {
    const badRole = campus('token', '--user-id', '7', '--role', 'wizard:*');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('unknown role "wizard"');
    const badJob = campus('jobs', 'make-coffee');
    expect(badJob.code).toBe(2);
    expect(badJob.err).toContain('Unknown job "make-coffee"');
    expect(campus('token').code).toBe(2);
  });

  it('exits 2 naming the variable when the configuration is invalid', () => {
    const r = spawnSync(process.execPath, [bin, 'migrate'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: 'eighty', CAMPUS_DATA_DIR: 'memory://' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT');
  });

  it('migrates, lists the outbox, and explains why email delivery cannot run without SMTP', () => {
    expect(campus('migrate').out).toMatch(/Applied: .*notifications_outbox/);
    expect(campus('outbox', 'list').out).toBe('0 of 0 message(s)');
    const deliver = campus('jobs', 'deliver-email');
    expect(deliver.code).toBe(1);
    expect(deliver.err).toContain('SMTP_URL is not set');
  });
});
