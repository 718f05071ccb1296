import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One owner per embedded (PGlite) data directory. PGlite is PostgreSQL in this process's memory,
 * writing its files as it pleases: two processes on one directory overwrite each other's pages and
 * accepted writes vanish. So whoever opens a directory — the server, or a CLI command when no server
 * runs — first takes `campus.lock` in it, and everyone else finds the owner there.
 *
 * The lock is a file created atomically (written aside, then hard-linked into place: the link fails
 * if the file exists, and nobody ever reads half a lock). It survives nothing: an owner that died
 * without removing it (kill -9, power loss) is recognised by its pid no longer running — or running
 * a different program, which the process start time recorded beside the pid tells — and its lock is
 * taken over. Two processes taking over the same dead lock at once serialize on a second file, so
 * exactly one of them wins.
 */

export const LOCK_FILE = 'campus.lock';

export interface DataDirOwner {
  pid: number;
  /** The owner's start time (clock ticks since boot, from /proc), so that a reused pid is not mistaken for it. */
  startTime: string | null;
  hostname: string;
  /** What the owner runs: `serve`, or a CLI command such as `seed`. */
  command: string;
  since: string;
  /** Where a serving owner answers; null while it starts, and for a CLI command. */
  url: string | null;
  /**
   * The secret a local `campus` command presents to a serving owner to run through it. The lock
   * file is readable by its user only, so this proves "the same user on this machine".
   */
  token: string | null;
  /** Unique to one acquisition: release removes the lock only if it is still this one. */
  nonce: string;
}

/** The directory has a live owner; `owner` says who. */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly owner: DataDirOwner,
  ) {
    super(
      `${dir} is in use by campus ${owner.command} (pid ${owner.pid}${owner.url ? `, ${owner.url}` : ''})`,
    );
    this.name = 'DataDirInUse';
  }
}

export interface DataDirLock {
  readonly dir: string;
  readonly owner: DataDirOwner;
  /** Records where the owner now answers (a server, once it listens). */
  announce(url: string): void;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): void;
}

const lockPath = (dir: string) => path.join(dir, LOCK_FILE);

/** Field 22 of /proc/<pid>/stat: when the process started. Null where /proc cannot tell. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the recorded owner still runs. An owner on another host cannot be checked: it counts as alive. */
export function ownerIsAlive(owner: DataDirOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTime(owner.pid);
  return owner.startTime === null || started === null || started === owner.startTime;
}

function readOwner(file: string): DataDirOwner | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const owner = JSON.parse(text) as DataDirOwner;
    if (Number.isInteger(owner.pid) && typeof owner.nonce === 'string') return owner;
  } catch {}
  // Only ever written whole; anything else was put there by hand. Refuse rather than guess.
  throw new Error(`${file} is not a Campus lock file; remove it if no Campus process uses this directory`);
}

/** Writes `content` to `target` only if `target` does not exist (atomic: a whole file or nothing). */
function createExclusive(target: string, content: string): boolean {
  const aside = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(aside, content, { mode: 0o600 });
  try {
    fs.linkSync(aside, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** The live owner of `dir`, or null when nobody (alive) holds it. */
export function readDataDirOwner(dir: string): DataDirOwner | null {
  const owner = readOwner(lockPath(dir));
  return owner && ownerIsAlive(owner) ? owner : null;
}

/**
 * Removes the dead owner's lock, unless another process is doing the same: the takeover file makes
 * "check it is still the dead one, then remove it" one step among all contenders.
 */
function removeDeadLock(file: string, dead: DataDirOwner): boolean {
  const takeover = `${file}.takeover`;
  const me = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid) });
  if (!createExclusive(takeover, me)) {
    // Someone is taking over right now; if that someone died doing it, clear its marker.
    try {
      const holder = JSON.parse(fs.readFileSync(takeover, 'utf8')) as {
        pid: number;
        startTime: string | null;
      };
      const alive = ownerIsAlive({ ...holder, hostname: os.hostname() } as DataDirOwner);
      if (!alive) fs.rmSync(takeover, { force: true });
    } catch {}
    return false;
  }
  try {
    if (readOwner(file)?.nonce === dead.nonce) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(takeover, { force: true });
  }
}

/** Opening a database is synchronous work at start-up; a blocking pause keeps the lock logic simple. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes `dir` for this process, creating the directory if needed. Throws DataDirInUse when a live
 * process holds it. The lock is released when the process exits normally, or by `release()`.
 */
export function lockDataDir(dir: string, command: string, options: { token?: string } = {}): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = lockPath(dir);
  const owner: DataDirOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    hostname: os.hostname(),
    command,
    since: new Date().toISOString(),
    url: null,
    token: options.token ?? null,
    nonce: randomBytes(16).toString('hex'),
  };
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, JSON.stringify(owner))) break;
    const current = readOwner(file);
    if (current === null) continue; // released between our two looks
    if (ownerIsAlive(current)) throw new DataDirInUse(dir, current);
    if (attempt >= 100) throw new Error(`could not take over the stale lock ${file}`);
    if (!removeDeadLock(file, current)) sleepSync(20);
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readOwner(file)?.nonce === owner.nonce) fs.rmSync(file, { force: true });
    } catch {}
  };
  process.on('exit', release);
  return {
    dir,
    owner,
    announce(url) {
      owner.url = url;
      // Replace in place (rename is atomic); only the owner ever rewrites its own lock.
      const aside = `${file}.${process.pid}.announce`;
      fs.writeFileSync(aside, JSON.stringify(owner), { mode: 0o600 });
      fs.renameSync(aside, file);
    },
    release,
  };
}
