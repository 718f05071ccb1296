import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUse, type DataDirOwner, LOCK_FILE, lockDataDir } from '../../src/db/data-dir-lock.js';

const TAKER = path.resolve(import.meta.dirname, '../support/take-data-dir.ts');

function owner(over: Partial<DataDirOwner>): DataDirOwner {
  return {
    pid: process.pid,
    startTime: null,
    hostname: os.hostname(),
    command: 'serve',
    since: new Date().toISOString(),
    url: null,
    token: null,
    nonce: 'written-by-the-test',
    ...over,
  };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'campus-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second owner while the first lives, naming it, and is free again after release', () => {
    const first = lockDataDir(dir, 'serve', { token: 'secret' });
    first.announce('http://127.0.0.1:8000');
    let refused: unknown;
    try {
      lockDataDir(dir, 'seed');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirInUse);
    expect((refused as DataDirInUse).owner).toMatchObject({
      pid: process.pid,
      command: 'serve',
      url: 'http://127.0.0.1:8000',
      token: 'secret',
    });
    first.release();
    lockDataDir(dir, 'seed').release();
  });

  it('keeps its secret from other users of the machine (mode 0600)', async () => {
    const lock = lockDataDir(dir, 'serve', { token: 'secret' });
    lock.announce('http://127.0.0.1:8000');
    const { stat } = await import('node:fs/promises');
    expect((await stat(path.join(dir, LOCK_FILE))).mode & 0o777).toBe(0o600);
    lock.release();
  });

  it("takes over a dead owner's lock, and one whose pid now runs another program", async () => {
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner({ pid: deadPid() })));
    lockDataDir(dir, 'serve').release();
    // Same pid, different start time: the pid was reused by an unrelated process.
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner({ startTime: 'long-ago' })));
    const lock = lockDataDir(dir, 'serve');
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).nonce).toBe(lock.owner.nonce);
    lock.release();
  });

  it("release does not remove a lock that is no longer this owner's", async () => {
    const lock = lockDataDir(dir, 'serve');
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner({ nonce: 'someone-else' })));
    lock.release();
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).nonce).toBe('someone-else');
  });

  it('refuses to guess when the lock file is not one of ours', async () => {
    await writeFile(path.join(dir, LOCK_FILE), 'hello');
    expect(() => lockDataDir(dir, 'serve')).toThrow(/not a Campus lock file; remove it/);
  });

  it('lets exactly one of six processes racing for a dead lock take it', { timeout: 120_000 }, async () => {
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner({ pid: deadPid() })));
    const release = path.join(os.tmpdir(), `campus-lock-release-${process.pid}-${Date.now()}`);
    const takers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', TAKER, dir, release], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      const said = new Promise<string>((resolve) => {
        const check = () => (out.includes('\n') ? resolve(out.trim()) : setTimeout(check, 20));
        check();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { said, exited };
    });
    // The winner holds the lock until every contender has had its answer.
    const outcomes = await Promise.all(takers.map((t) => t.said));
    await writeFile(release, '');
    const codes = await Promise.all(takers.map((t) => t.exited));
    await rm(release, { force: true });
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('refused '))).toHaveLength(5);
  });
});
