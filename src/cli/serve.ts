import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDb } from '../database.js';
import { DataDirInUse, type DataDirLock, lockDataDir } from '../db/data-dir-lock.js';
import { migrateToLatest } from '../db/migrate.js';
import type { CliRelay } from '../http/cli-relay.routes.js';
import { startScheduler } from '../jobs.js';
import { runAudited } from '../shared/audit.js';
import { startupBanner } from './banner.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { seedDemo } from './seed.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Load the demo data before listening (`--demo`, or CAMPUS_DEMO=1). */
  demo?: boolean;
}

/** The embedded data directory is this server's alone; a second server is refused (exit 2). */
function ownDataDir(dir: string, token: string): DataDirLock {
  try {
    return lockDataDir(dir, 'serve', { token });
  } catch (err) {
    if (!(err instanceof DataDirInUse)) throw err;
    const { owner } = err;
    const who =
      owner.command === 'serve'
        ? `another Campus server (pid ${owner.pid}${owner.url ? `, listening on ${owner.url}` : ', starting'})`
        : `\`campus ${owner.command}\` (pid ${owner.pid})`;
    throw new CliError(
      `${dir} is in use by ${who} since ${owner.since}. One process owns an embedded database: ` +
        'stop that one first, or set CAMPUS_DATA_DIR to another directory (or DATABASE_URL to a PostgreSQL server, ' +
        'which any number of Campus processes may share).',
      2,
    );
  }
}

/** Starts the HTTP server on the configured database; stops cleanly on SIGINT/SIGTERM. */
export async function serve(options: ServeOptions = {}, relay?: (token: string) => CliRelay): Promise<void> {
  const { demo, ...listen } = options;
  const config = { ...loadConfig(), ...listen };
  // Readable lines for a person at a terminal; JSON for log collectors and in production.
  const pretty = process.stdout.isTTY && config.env !== 'production';
  const log = pino({
    level: config.logLevel,
    transport: pretty
      ? { target: 'pino-pretty', options: { colorize: true, singleLine: true, ignore: 'pid,hostname' } }
      : undefined,
  });
  const { database } = config;
  const token = randomBytes(32).toString('hex');
  const lock =
    database.kind === 'pglite' && database.dataDir !== 'memory://'
      ? ownDataDir(database.dataDir, token)
      : null;
  if (config.jwt.usingDevSecret) {
    log.warn('JWT_SECRET_KEY is not set: using the development secret. Never do this in production.');
  }
  if (config.lms) {
    log.info(`redemptions enroll through the LMS at ${config.lms.url}`);
  }
  const db = await openDb(config);
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) {
    log.debug({ applied }, 'migrations applied');
    log.info(`database migrated: ${applied.length} migration(s) applied, the last ${applied.at(-1)}`);
  }
  const app = await buildApp({
    db,
    config,
    logger: log,
    processMetrics: true,
    cliRelay: lock && relay ? relay(token) : undefined,
  });
  if (demo || config.demo) {
    const io: CliIo = {
      out: (line) => log.info(line),
      err: (line) => log.info(line),
      tty: null,
      cwd: process.cwd(),
    };
    log.info('loading the demo data (--demo)…');
    await runAudited({ actor: 'cli:serve --demo', clock: app.campus.clock }, () => seedDemo(app.campus, io));
  }
  const stopScheduler = config.scheduler ? startScheduler(app.campus) : async () => {};

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await stopScheduler();
    await app.close();
    await db.close();
    lock?.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ port: config.port, host: config.host });
  lock?.announce(address);
  const where = database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite (${database.dataDir})`;
  log.info(`Campus is serving on ${address} with ${where}`);
  const banner = await startupBanner(app.campus, address);
  // Through the logger, so that it is not interleaved with log lines still on their way.
  if (pretty) log.info(`\n\n${banner.join('\n')}\n`);
  else log.info({ banner }, 'where to start');
}
