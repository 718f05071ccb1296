import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * How long Campus waits on PostgreSQL (DATABASE_TIMEOUT_MS). One number, from which every
 * limit below derives, so that an operator tunes one thing:
 *
 * - An HTTP request's database work ends within `boundMs` of the request's start, whatever the
 *   server does (answers slowly, is frozen, is unreachable): waiting for a pooled connection,
 *   opening one, and every statement draw on the same budget, and a request that used it up is
 *   answered 503 `database_unavailable` with Retry-After. A request makes several round trips (a
 *   redemption that fails also records the attempt), so per-statement limits alone could not
 *   bound it.
 * - Outside a request (CLI, background jobs, the job lock) each wait is bounded by `boundMs`.
 * - `statement_timeout` (server side) is a little shorter than the client's read timeout, so that
 *   a merely slow statement, or a row-lock wait on a hot policy, is cancelled by the server with a
 *   clean error and the connection is kept. The client's read timeout fires only when the server
 *   does not answer at all; that connection is then discarded, never returned to the pool.
 * - No separate `lock_timeout`: a lock wait is a statement like any other, and queueing on a hot
 *   policy row is legitimate under load, so it gets the whole budget, not a smaller one.
 * - `idle_in_transaction_session_timeout` is twice the bound: a transaction left open by a Campus
 *   process that stopped (frozen, partitioned away) releases its row locks after it, and a busy
 *   event loop between two statements of a legitimate transaction never comes near it.
 * - TCP keep-alive on every connection, first probe after `boundMs` idle, so that a peer that
 *   vanished from the network is eventually noticed on an idle connection too.
 */
export interface DatabaseLimits {
  boundMs: number;
  /** Client side: waiting for a pooled connection, or opening a new one. */
  connectTimeoutMs: number;
  /** Client side: the longest a sent statement waits for its answer before the connection is dropped. */
  queryTimeoutMs: number;
  /** Server side (`statement_timeout`). */
  statementTimeoutMs: number;
  /** Server side (`idle_in_transaction_session_timeout`). */
  idleInTransactionTimeoutMs: number;
  keepAliveInitialDelayMs: number;
}

/** A few seconds: longer than any legitimate request waits on the database, short enough for a client. */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5_000;
export const MIN_DATABASE_TIMEOUT_MS = 500;
export const MAX_DATABASE_TIMEOUT_MS = 600_000;

export function databaseLimits(boundMs: number = DEFAULT_DATABASE_TIMEOUT_MS): DatabaseLimits {
  const margin = Math.round(Math.min(1_000, Math.max(100, boundMs / 10)));
  return {
    boundMs,
    connectTimeoutMs: boundMs,
    queryTimeoutMs: boundMs,
    statementTimeoutMs: boundMs - margin,
    idleInTransactionTimeoutMs: 2 * boundMs,
    keepAliveInitialDelayMs: boundMs,
  };
}

/** The request a piece of database work belongs to: its start on the monotonic clock. */
const requestScope = new AsyncLocalStorage<{ startedAt: number }>();

/** Runs `fn` (and everything it starts) as part of a request that started at `startedAt` (performance.now()). */
export function runInRequest<T>(startedAt: number, fn: () => T): T {
  return requestScope.run({ startedAt }, fn);
}

/** When the current request started (performance.now()), or undefined outside a request. */
export function requestStartedAt(): number | undefined {
  return requestScope.getStore()?.startedAt;
}

/**
 * What is left of `limitMs` for the next wait: all of it outside a request, and inside one no
 * more than the request's remaining budget (zero or less once it is used up).
 */
export function timeLeft(limits: DatabaseLimits, limitMs: number): number {
  const scope = requestScope.getStore();
  if (!scope) return limitMs;
  return Math.min(limitMs, Math.floor(scope.startedAt + limits.boundMs - performance.now()));
}

/** The database did not answer within the bound (or the request had no time left to ask it). */
export class DatabaseTimeoutError extends Error {
  readonly code = 'CAMPUS_DATABASE_TIMEOUT';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseTimeoutError';
  }
}
