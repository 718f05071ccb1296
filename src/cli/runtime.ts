import pino from 'pino';
import { type Config, loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { openDb } from '../database.js';
import { DataDirInUse, type DataDirLock, type DataDirOwner, lockDataDir } from '../db/data-dir-lock.js';
import { MAX_DATABASE_TIMEOUT_MS } from '../db/database-time.js';
import { migrateToLatest } from '../db/migrate.js';
import { runAudited } from '../shared/audit.js';
import { systemClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import { createContext } from '../wiring.js';
import { CliError } from './errors.js';
import { type CliIo, processIo } from './io.js';

/** How a command reaches the database: its own connection, or the serving process it runs in. */
export interface CliRuntime {
  io: CliIo;
  /**
   * Runs `fn` with a database context; changes are attributed to the command in the change
   * history. `migrate: false` leaves pending migrations alone (the `migrate` command applies them).
   */
  withContext<T>(fn: (ctx: AppContext) => Promise<T>, options?: { migrate?: boolean }): Promise<T>;
}

/** The server owns the embedded data directory: the command must run through it (src/cli/relay.ts). */
export class ServerOwnsDataDir extends Error {
  constructor(
    readonly dir: string,
    readonly owner: DataDirOwner,
  ) {
    super(`the data directory is served by pid ${owner.pid}`);
  }
}

/** Takes the embedded data directory for one command, or says who has it. */
function takeDataDir(dir: string, command: string): DataDirLock {
  try {
    return lockDataDir(dir, command);
  } catch (err) {
    if (!(err instanceof DataDirInUse)) throw err;
    if (err.owner.command === 'serve') throw new ServerOwnsDataDir(dir, err.owner);
    throw new CliError(
      `${dir} is in use by \`campus ${err.owner.command}\` (pid ${err.owner.pid}, since ${err.owner.since}). ` +
        'Wait for it to finish, then run this command again.',
      2,
    );
  }
}

/**
 * A command is not an HTTP request: an import or `ledger verify` over millions of rows runs
 * statements far longer than a request may wait. Unless DATABASE_TIMEOUT_MS says otherwise, a
 * command's waits on PostgreSQL are bounded by the longest allowed, ten minutes.
 */
function commandConfig(): Config {
  const config = loadConfig();
  if (config.database.kind !== 'postgres' || process.env.DATABASE_TIMEOUT_MS) return config;
  return { ...config, database: { ...config.database, timeoutMs: MAX_DATABASE_TIMEOUT_MS } };
}

/** A command in its own process: opens the database itself (taking an embedded directory for its run). */
export function localRuntime(command: string, io: CliIo = processIo): CliRuntime {
  return {
    io,
    async withContext(fn, options = {}) {
      const config = commandConfig();
      const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
      const { database } = config;
      const lock =
        database.kind === 'pglite' && database.dataDir !== 'memory://'
          ? takeDataDir(database.dataDir, command)
          : null;
      try {
        const db = await openDb(config);
        try {
          if (options.migrate !== false) await migrateToLatest(db);
          return await runAudited({ actor: `cli:${command}`, clock: systemClock }, () =>
            fn(createContext({ db, config, clock: systemClock, ids: randomIds, log })),
          );
        } finally {
          await db.close();
        }
      } finally {
        lock?.release();
      }
    },
  };
}

/** A command relayed to the serving process: runs on the server's own context (already migrated). */
export function servedRuntime(ctx: AppContext, command: string, io: CliIo): CliRuntime {
  return {
    io,
    withContext: (fn) => runAudited({ actor: `cli:${command}`, clock: ctx.clock }, () => fn(ctx)),
  };
}
