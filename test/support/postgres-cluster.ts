/**
 * Throwaway PostgreSQL clusters for tests.
 *
 * `startCluster()` runs `initdb` into a fresh temporary directory, starts a server on a free
 * 127.0.0.1 port with durability switched off (fsync, synchronous_commit, full_page_writes),
 * and returns its URL plus a `stop()` that kills the server and deletes the directory.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root (CI containers) the
 * binaries are run through `runuser` as the `postgres` user (or `nobody`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface StartClusterOptions {
  /** Directory holding `initdb` and `pg_ctl`; defaults to `findPostgresBinDir()`. */
  binDir?: string;
}

export interface RunningCluster {
  /** `postgres://campus@127.0.0.1:PORT/postgres` (trust auth, superuser `campus`). */
  url: string;
  /** Immediate shutdown, then removes the cluster's temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** A cluster that can also be taken down and brought back on the same data directory and port. */
export interface PausableCluster extends RunningCluster {
  port: number;
  /** `pg_ctl stop -m immediate`: every connection drops at once, as in a crash; the data stays. */
  pause(): Promise<void>;
  /** `pg_ctl start` on the same data directory and port; resolves once it answers `select 1`. */
  resume(): Promise<void>;
  /**
   * SIGSTOP to the postmaster and every process it started (backends included): the server keeps
   * its sockets open and the kernel keeps accepting connections, but nothing answers, as with a
   * frozen VM or a stalled disk. Connections in use stay open, waiting.
   */
  freeze(): Promise<void>;
  /** SIGCONT to the same processes: the server carries on where it stopped. */
  thaw(): Promise<void>;
}

/** The superuser created by initdb; trust auth, so no password. */
const SUPERUSER = 'campus';
const PORT_ATTEMPTS = 3;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasServerBinaries(dir: string): boolean {
  return isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'));
}

/** Compares directory names like "15", "16", "9.6" numerically, highest first. */
function byVersionDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Finds a directory containing both `initdb` and `pg_ctl`: `pg_config --bindir` first, then the
 * highest version under /usr/lib/postgresql/* /bin (Debian/Ubuntu layout), then `initdb` on PATH.
 */
export function findPostgresBinDir(): string | null {
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (!pgConfig.error && pgConfig.status === 0) {
    const dir = pgConfig.stdout.trim();
    if (dir && hasServerBinaries(dir)) return dir;
  }

  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    let versions: string[] = [];
    try {
      versions = readdirSync(debianRoot).filter((v) => /^\d+(\.\d+)*$/.test(v));
    } catch {
      versions = [];
    }
    for (const version of versions.sort(byVersionDesc)) {
      const dir = join(debianRoot, version, 'bin');
      if (hasServerBinaries(dir)) return dir;
    }
  }

  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (!onPath.error && onPath.status === 0) {
    const initdb = onPath.stdout.trim();
    if (initdb) {
      // /usr/local/bin/initdb may be a symlink into a directory that also has pg_ctl.
      const candidates = [dirname(initdb)];
      try {
        candidates.push(dirname(realpathSync(initdb)));
      } catch {
        // dangling symlink: only the PATH directory is a candidate
      }
      for (const dir of candidates) if (hasServerBinaries(dir)) return dir;
    }
  }

  return null;
}

/** Resolves a free TCP port on 127.0.0.1 (there is a small race until the server binds it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) =>
        err ? reject(err) : port ? resolve(port) : reject(new Error('no port assigned')),
      );
    });
  });
}

/** Connects to `url` and runs `select 1`; rejects if the server does not answer. */
export async function checkPostgres(url: string, timeoutMs = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {
    // surfaced through connect()/query() instead
  });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { encoding: 'utf8' }).status === 0;
}

function idOf(user: string, flag: '-u' | '-g'): number {
  const result = spawnSync('id', [flag, user], { encoding: 'utf8' });
  const n = Number.parseInt(result.stdout ?? '', 10);
  if (result.status !== 0 || Number.isNaN(n)) throw new Error(`cannot resolve id ${flag} ${user}`);
  return n;
}

/** The non-root user to run PostgreSQL as, or null when we are not root. */
function serverUser(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  return userExists('postgres') ? 'postgres' : 'nobody';
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  error?: Error;
}

function run(bin: string, args: string[], runAs: string | null, cwd: string, timeoutMs: number) {
  const [file, argv] = runAs ? ['runuser', ['-u', runAs, '--', bin, ...args]] : [bin, args];
  return new Promise<RunResult>((resolve) => {
    execFile(
      file,
      argv,
      { cwd, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ...(error ? { error } : {}) });
      },
    );
  });
}

function explain(result: RunResult): string {
  const output = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
  return `exit ${result.code}${result.error && !output ? ` (${result.error.message})` : ''}${output ? `\n${output}` : ''}`;
}

function logTail(logFile: string, lines = 40): string {
  try {
    const text = readFileSync(logFile, 'utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(server log is empty)';
  } catch {
    return '(no server log was written)';
  }
}

/** Starts a throwaway cluster in a fresh temporary directory. */
export async function startCluster(opts: StartClusterOptions = {}): Promise<RunningCluster> {
  return launchCluster(opts, { synchronousCommit: false });
}

/**
 * A throwaway cluster, as `startCluster`, that a test can also stop abruptly (`pause`) and start
 * again (`resume`) on the same port: a database outage and its end, for outage tests. Commits are
 * synchronous here: an immediate stop is a crash, and with `synchronous_commit=off` it would lose
 * the last commits (even the migrations), which no production server does.
 */
export async function startPausableCluster(opts: StartClusterOptions = {}): Promise<PausableCluster> {
  return launchCluster(opts, { synchronousCommit: true });
}

async function launchCluster(
  opts: StartClusterOptions,
  durability: { synchronousCommit: boolean },
): Promise<PausableCluster> {
  const binDir = opts.binDir ?? findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');

  const runAs = serverUser();
  if (runAs && spawnSync('runuser', ['--help']).error) {
    throw new Error('running as root but `runuser` (util-linux) is not available to drop privileges');
  }

  const dir = await mkdtemp(join(tmpdir(), 'campus-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'log');

  // Synchronous best-effort cleanup in case the process exits without calling stop().
  let started = false;
  const emergencyStop = () => {
    if (started) {
      const [file, argv] = runAs
        ? ['runuser', ['-u', runAs, '--', pgCtl, '-D', dataDir, '-m', 'immediate', 'stop']]
        : [pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']];
      spawnSync(file, argv, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', emergencyStop);

  const fail = async (message: string): Promise<never> => {
    process.removeListener('exit', emergencyStop);
    emergencyStop();
    throw new Error(message);
  };

  try {
    if (runAs) await chown(dir, idOf(runAs, '-u'), idOf(runAs, '-g'));
  } catch (err) {
    return fail(`cannot hand ${dir} to user ${runAs}: ${(err as Error).message}`);
  }

  const init = await run(
    initdb,
    ['-D', dataDir, '-A', 'trust', '-U', SUPERUSER, '--no-sync', '-E', 'UTF8', '--locale=C'],
    runAs,
    dir,
    180_000,
  );
  if (init.code !== 0) {
    return fail(`initdb failed${runAs ? ` (as ${runAs})` : ''}: ${explain(init)}`);
  }

  let url = '';
  let port = 0;
  let serverOptions = '';
  for (let attempt = 1; ; attempt++) {
    port = await findFreePort();
    serverOptions = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      `-c synchronous_commit=${durability.synchronousCommit ? 'on' : 'off'}`,
      '-c full_page_writes=off',
      '-c max_connections=300',
      '-c shared_buffers=128MB',
    ].join(' ');
    started = true;
    const start = await run(
      pgCtl,
      ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
      runAs,
      dir,
      120_000,
    );
    if (start.code === 0) {
      url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
      break;
    }
    const tail = logTail(logFile);
    // Another process may have taken the port between findFreePort() and the bind: retry.
    if (attempt < PORT_ATTEMPTS && /could not bind|address already in use/i.test(tail)) continue;
    return fail(
      `pg_ctl start failed${runAs ? ` (as ${runAs})` : ''}: ${explain(start)}\n--- server log (${logFile}) ---\n${tail}`,
    );
  }

  try {
    await checkPostgres(url);
  } catch (err) {
    return fail(
      `PostgreSQL started but does not answer select 1 at ${url}: ${(err as Error).message}\n` +
        `--- server log (${logFile}) ---\n${logTail(logFile)}`,
    );
  }

  /** The postmaster (first line of postmaster.pid) and its children, from /proc. */
  const serverPids = (): number[] => {
    const postmaster = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
    const children = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false; // exited meanwhile
        }
      })
      .map(Number);
    return [postmaster, ...children];
  };
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // exited meanwhile
    }
  };
  let frozen: number[] = [];

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    async pause() {
      if (stopping) throw new Error('the cluster has been stopped for good');
      const down = await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], runAs, dir, 60_000);
      if (down.code !== 0) throw new Error(`pg_ctl stop failed: ${explain(down)}`);
    },
    async resume() {
      if (stopping) throw new Error('the cluster has been stopped for good');
      const up = await run(
        pgCtl,
        ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
        runAs,
        dir,
        120_000,
      );
      if (up.code !== 0) {
        throw new Error(
          `pg_ctl start (resume) failed: ${explain(up)}\n--- server log (${logFile}) ---\n${logTail(logFile)}`,
        );
      }
      await checkPostgres(url);
    },
    async freeze() {
      if (stopping) throw new Error('the cluster has been stopped for good');
      // The postmaster first, so that it starts no backend after the children were listed.
      const [postmaster, ...children] = serverPids();
      if (postmaster) signal(postmaster, 'SIGSTOP');
      for (const pid of children) signal(pid, 'SIGSTOP');
      // A signal is delivered asynchronously: a backend forked just before the postmaster stopped
      // shows up on a second look.
      await new Promise((r) => setTimeout(r, 50));
      const late = serverPids().filter((pid) => !children.includes(pid) && pid !== postmaster);
      for (const pid of late) signal(pid, 'SIGSTOP');
      frozen = [...(postmaster ? [postmaster] : []), ...children, ...late];
    },
    async thaw() {
      for (const pid of frozen.reverse()) signal(pid, 'SIGCONT');
      frozen = [];
    },
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', emergencyStop);
        for (const pid of frozen) signal(pid, 'SIGCONT');
        await run(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop'], runAs, dir, 60_000);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
