import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { currentAudit } from '../shared/audit.js';
import { openBoundedPool } from './bounded-pool.js';
import { DEFAULT_DATABASE_TIMEOUT_MS, databaseLimits } from './database-time.js';
import { PGliteDialect, runInTransactionScope } from './pglite-dialect.js';

export type DbDialect = 'pglite' | 'postgres';
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * A database of the tables `DB`. This folder knows no table of Campus's: the modules declare
 * theirs and `src/database.ts` composes them into the one type the application opens it with.
 */
export interface Db<DB> {
  readonly kysely: Kysely<DB>;
  readonly dialect: DbDialect;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * On PGlite transactions are serialized (one connection); on PostgreSQL they run concurrently.
   */
  transaction<T>(
    fn: (trx: Transaction<DB>) => Promise<T>,
    options?: { isolation?: IsolationLevel },
  ): Promise<T>;
  /**
   * Runs `fn` only if no other process (or task) is running the job `name`; otherwise returns
   * `{ ran: false }` at once. On PostgreSQL this is a session advisory lock held on its own
   * connection for the duration, so it works across any number of Campus processes.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// bigint (int8) and count(*) results fit a JS number for any amount of cents Campus handles;
// refuse silently wrong values rather than lose precision.
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
}

/**
 * begin; fn; commit — or rollback when fn (or the commit) throws. Run by hand rather than through
 * `kysely.transaction().execute()`, which throws the ROLLBACK's failure instead of the error that
 * caused it: after a lost connection the rollback fails too ("not queryable"), and the log would
 * show only that. Here the original error is thrown, with the failed rollback attached as
 * `rollbackError`. A connection whose rollback failed is closed, never reused (pg-pool drops a
 * client that is not queryable; bounded-pool.ts closes one that timed out), and the server rolls
 * back what it had open.
 */
async function runTransaction<DB, T>(
  kysely: Kysely<DB>,
  isolation: IsolationLevel | undefined,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  let builder = kysely.startTransaction();
  if (isolation) builder = builder.setIsolationLevel(isolation);
  const trx = await builder.execute();
  try {
    const result = await fn(trx);
    await trx.commit().execute();
    return result;
  } catch (err) {
    if (!trx.isCommitted && !trx.isRolledBack) {
      try {
        await trx.rollback().execute();
      } catch (rollbackError) {
        if (err !== null && typeof err === 'object') Object.assign(err, { rollbackError });
      }
    }
    throw err;
  }
}

function wrap<DB>(kysely: Kysely<DB>, dialect: DbDialect, exclusive: Db<DB>['exclusive']): Db<DB> {
  return {
    kysely,
    dialect,
    transaction(fn, options) {
      const run = () =>
        runTransaction(kysely, options?.isolation, async (trx) => {
          const audit = currentAudit();
          if (audit) {
            // Transaction-local settings the change-history triggers read (who, why, when).
            await sql`select set_config('campus.actor', ${audit.actor}, true),
              set_config('campus.reason', ${audit.reason ?? ''}, true),
              set_config('campus.now', ${audit.clock.now().toISOString()}, true)`.execute(trx);
          }
          return fn(trx);
        });
      return dialect === 'pglite' ? runInTransactionScope(run) : run();
    },
    exclusive,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
    },
  };
}

/** Embedded PostgreSQL. `dataDir` is a directory, or `memory://` for a throwaway database. */
export async function openPglite<DB>(
  dataDir: string,
  options: { loadDataDir?: Blob; onQuery?: (sql: string) => void } = {},
): Promise<Db<DB> & { dumpDataDir(): Promise<Blob> }> {
  const pglite = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    parsers: { 20: parseInt8 },
    loadDataDir: options.loadDataDir,
  });
  const onQuery = options.onQuery;
  const kysely = new Kysely<DB>({
    dialect: new PGliteDialect(pglite),
    // Tests record the statements a request runs (count, lock order) through this hook.
    log: onQuery ? (event) => onQuery(event.query.sql) : undefined,
  });
  // One process owns a PGlite directory, so an in-process lock is a complete job lock.
  const held = new Set<string>();
  const db = wrap(kysely, 'pglite', async (name, fn) => {
    if (held.has(name)) return { ran: false };
    held.add(name);
    try {
      return { ran: true, value: await fn() };
    } finally {
      held.delete(name);
    }
  });
  return Object.assign(db, { dumpDataDir: () => pglite.dumpDataDir('none') as Promise<Blob> });
}

/**
 * A PostgreSQL server through a connection pool whose every wait is bounded by `timeoutMs`
 * (DATABASE_TIMEOUT_MS; see database-time.ts): a frozen or unreachable server never hangs a caller.
 */
export function openPostgres<DB>(
  url: string,
  poolSize = 20,
  options: { onQuery?: (sql: string) => void; timeoutMs?: number } = {},
): Db<DB> {
  const limits = databaseLimits(options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS);
  const bounded = openBoundedPool({
    connectionString: url,
    max: poolSize,
    limits,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const { pool } = bounded;
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out one: pg-pool listens for errors only while a client is idle, and a server
  // that goes away between two statements of a transaction (or while a job holds its lock) emits
  // 'error' on the client with nobody listening, which would kill the process. The failure reaches
  // the caller through its next query; the pool drops the client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const onQuery = options.onQuery;
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: bounded }),
    // Benchmarks count the statements of a request through this hook.
    log: onQuery ? (event) => onQuery(event.query.sql) : undefined,
  });
  return wrap(kysely, 'postgres', async (name, fn) => {
    const client = await bounded.connect();
    // The lock lives as long as its session: a session whose lock or unlock statement failed (or
    // timed out) is closed rather than pooled, so that it can neither keep the lock nor hang.
    let broken: unknown;
    const query = (text: string) =>
      client.query<{ ok: boolean }>(text, [`campus:${name}`]).catch((err: unknown) => {
        broken = err ?? true;
        throw err;
      });
    try {
      const got = await query('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok');
      if (!got.rows[0]?.ok) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await query('select pg_advisory_unlock(hashtextextended($1, 0))');
      }
    } finally {
      client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
    }
  });
}

export async function openDb<DB>(config: Config): Promise<Db<DB>> {
  return config.database.kind === 'postgres'
    ? openPostgres<DB>(config.database.url, config.database.poolSize, {
        timeoutMs: config.database.timeoutMs,
      })
    : openPglite<DB>(config.database.dataDir);
}
