/**
 * One owner per embedded (PGlite) data directory (issue 15 §1). Before, `npm start` and
 * `campus seed --demo` in another terminal opened one directory twice and overwrote each other:
 * the seed said "created", the server never saw it, and writes it had accepted were gone after a
 * restart. Now the server owns the directory and every other command runs through it.
 *
 * Real processes (`node bin/campus.mjs`), real files, real HTTP: this is about processes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { DEMO_SLUG } from '../../src/demo-users.js';
import { signDevToken } from '../../src/http/auth.js';
import { type CampusProcess, runCampusCli, startCampus } from '../support/campus-process.js';
import { findFreePort } from '../support/postgres-cluster.js';

const SECRET = 'data-dir-owner-test-secret-0123456789';

// Each process loads TypeScript through tsx and opens PGlite: seconds each on a busy 2-core machine.
describe('an embedded data directory has one owner', { timeout: 240_000 }, () => {
  let dir: string;
  let operator: string;
  const opts = () => ({
    databaseUrl: '',
    jwtSecret: SECRET,
    env: { CAMPUS_DATA_DIR: dir, SCHEDULER: 'off', LOG_LEVEL: 'warn' },
    readyTimeoutMs: 120_000,
  });
  const lockFile = () => path.join(dir, LOCK_FILE);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'campus-owner-'));
    operator = await signDevToken(SECRET, {
      userId: 1,
      username: 'operator',
      roles: ['enterprise_openedx_operator:*'],
      expiresIn: 3600,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Creates an enterprise customer; resolves to its slug when the server said 201. */
  const createCustomer = async (server: CampusProcess, slug: string): Promise<string | null> => {
    const res = await server.request({
      method: 'POST',
      path: '/enterprise/api/v1/enterprise-customer/',
      as: operator,
      body: { name: slug, slug },
    });
    return res.status === 201 ? slug : null;
  };
  const customerExists = async (server: CampusProcess, slug: string) => {
    const res = await server.request({
      method: 'GET',
      path: '/enterprise/api/v1/enterprise-customer/?page_size=100',
      as: operator,
    });
    expect(res.status).toBe(200);
    return (res.body as { results: { slug: string }[] }).results.some((c) => c.slug === slug);
  };

  it('runs `seed --demo` through the running server, and after a restart every acknowledged write is there', async () => {
    const server = await startCampus(opts());
    try {
      // The server's own writes race the seed, which the CLI sends through the server.
      const seeding = runCampusCli(['seed', '--demo'], opts());
      const acknowledged: string[] = [];
      for (let i = 0; i < 12; i++) {
        const slug = await createCustomer(server, `during-seed-${i}`);
        if (slug) acknowledged.push(slug);
      }
      const seed = await seeding;
      expect(seed.stderr).toContain(`running through the server (pid ${server.pid}`);
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stdout).toContain('Demo University');
      expect(acknowledged).toHaveLength(12);
      // The running server sees the demo enterprise at once: one database, one writer.
      expect(await customerExists(server, DEMO_SLUG)).toBe(true);
      // Other commands go through it too, with their exit codes.
      const verify = await runCampusCli(['ledger', 'verify'], opts());
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/ledger\(s\) checked, 0 mismatch\(es\)/);
      const badJob = await runCampusCli(['jobs', 'make-coffee'], opts());
      expect(badJob.code).toBe(2);
    } finally {
      await server.stop();
    }
    // A graceful stop gives the directory back.
    await expect(readFile(lockFile())).rejects.toThrow(/ENOENT/);

    const again = await startCampus(opts());
    try {
      expect(await customerExists(again, DEMO_SLUG)).toBe(true);
      for (let i = 0; i < 12; i++) expect(await customerExists(again, `during-seed-${i}`)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('refuses a second server on the directory with exit 2, naming the owner pid and port', async () => {
    const server = await startCampus(opts());
    try {
      const port = await findFreePort();
      const second = await runCampusCli(['serve', '--port', String(port)], opts());
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`pid ${server.pid}`);
      expect(second.stderr).toContain(`listening on http://127.0.0.1:${server.port}`);
      // The owner was not disturbed.
      expect((await server.request({ method: 'GET', path: '/healthz' })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("takes over a kill -9'd owner's lock, with every write it had acknowledged", async () => {
    const server = await startCampus(opts());
    expect(await createCustomer(server, 'before-the-crash')).toBe('before-the-crash');
    await server.kill();
    // The dead owner's lock is still there, naming it.
    const stale = JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number };
    expect(stale.pid).toBe(server.pid);

    const next = await startCampus(opts());
    try {
      const owner = JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number };
      expect(owner.pid).toBe(next.pid);
      expect(await customerExists(next, 'before-the-crash')).toBe(true);
    } finally {
      await next.stop();
    }
  });

  it('runs a command on its own when no server runs, and gives the directory back', async () => {
    const r = await runCampusCli(['outbox', 'list', '--limit', '1'], opts());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('running through the server');
    await expect(readFile(lockFile())).rejects.toThrow(/ENOENT/);
  });

  it('refuses a command (exit 2) while another command owns the directory, saying what to do', async () => {
    // A live process that is not a server (this test runner) holds the lock.
    await writeFile(
      lockFile(),
      JSON.stringify({
        pid: process.pid,
        startTime: null,
        hostname: os.hostname(),
        command: 'import',
        since: new Date().toISOString(),
        url: null,
        token: null,
        nonce: 'held-by-the-test',
      }),
    );
    try {
      const r = await runCampusCli(['ledger', 'verify'], opts());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`\`campus import\` (pid ${process.pid}`);
      expect(r.stderr).toContain('Wait for it to finish');
    } finally {
      await rm(lockFile(), { force: true });
    }
  });
});
