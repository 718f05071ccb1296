import pg from 'pg';
import { type DatabaseLimits, DatabaseTimeoutError, timeLeft } from './database-time.js';

/**
 * A pg pool whose waits are all bounded (see database-time.ts): connecting, and every statement.
 * A statement the server did not answer in time leaves its connection busy (the answer may still
 * come) or dead (a frozen or vanished server), so that connection is closed at once; pg-pool then
 * drops it when it is released instead of handing it to the next caller.
 */
export interface BoundedPool {
  readonly pool: pg.Pool;
  /** `pool.connect()` within the time left (the request's budget, or the connect timeout). */
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

const CONNECT_TIMEOUT =
  /timeout exceeded when trying to connect|Connection terminated due to connection timeout/;

export function openBoundedPool(
  options: Omit<pg.PoolConfig, 'Client'> & { limits: DatabaseLimits },
): BoundedPool {
  const { limits, ...config } = options;
  const pool = new pg.Pool({
    ...config,
    Client: boundedClient(limits),
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: limits.keepAliveInitialDelayMs,
  });
  const connectTimedOut = (ms: number, cause?: unknown) =>
    new DatabaseTimeoutError(`no database connection within ${ms} ms (DATABASE_TIMEOUT_MS)`, { cause });

  return {
    pool,
    async connect() {
      const budget = timeLeft(limits, limits.connectTimeoutMs);
      if (budget <= 0) throw connectTimedOut(0);
      const connecting = pool.connect().catch((err: unknown) => {
        throw err instanceof Error && CONNECT_TIMEOUT.test(err.message) ? connectTimedOut(budget, err) : err;
      });
      // The pool enforces the full connect timeout itself; a request's shorter budget is enforced here.
      if (budget >= limits.connectTimeoutMs) return connecting;
      return new Promise<pg.PoolClient>((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          reject(connectTimedOut(budget));
        }, budget);
        connecting.then(
          (client) => {
            if (settled) client.release();
            else {
              settled = true;
              clearTimeout(timer);
              resolve(client);
            }
          },
          (err: unknown) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            reject(err);
          },
        );
      });
    },
    end: () => pool.end(),
  };
}

/** pg.Client whose promise queries (the form Kysely and Campus use) are bounded by the time left. */
function boundedClient(limits: DatabaseLimits): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    // One loose signature over pg's many overloads; the other forms pass through unchanged.
    // biome-ignore lint/suspicious/noExplicitAny: overrides an overloaded method
    override query(...args: any[]): any {
      const [text, values] = args;
      if (typeof text !== 'string' || args.length > 2 || !(values === undefined || Array.isArray(values))) {
        return super.query(...(args as Parameters<pg.Client['query']>));
      }
      const budget = timeLeft(limits, limits.queryTimeoutMs);
      if (budget <= 0) {
        // Nothing was sent, but the caller may be half-way through a transaction on this
        // connection: close it, so that it is not handed out again with that transaction open.
        this.discard();
        return Promise.reject(
          new DatabaseTimeoutError('the request used up its database time (DATABASE_TIMEOUT_MS)'),
        );
      }
      // pg reads a per-query `query_timeout` from the config object; its typings do not list it.
      const config = { text, values, query_timeout: budget } as pg.QueryConfig;
      return super.query(config).catch((err: unknown) => {
        if (!(err instanceof Error) || err.message !== 'Query read timeout') throw err;
        this.discard();
        throw new DatabaseTimeoutError(
          `PostgreSQL did not answer within ${budget} ms (DATABASE_TIMEOUT_MS); the connection was dropped`,
          { cause: err },
        );
      });
    }

    /**
     * Closes the connection now, without the goodbye a frozen server would never acknowledge; the
     * pool drops the client when it is released. The server rolls back whatever was open on it.
     */
    discard(): void {
      this.end().catch(() => {});
      (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }
  };
}
