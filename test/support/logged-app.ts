import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { signDevToken, type TokenClaims } from '../../src/http/auth.js';
import { FixedClock } from '../../src/shared/clock.js';
import { memoryDb, type TestApp } from './app.js';

export interface LoggedTestApp extends TestApp {
  /** What the server logged at level error for a request id (the cause of a 500), or undefined. */
  serverError(requestId: string): string | undefined;
}

/**
 * `testApp()` whose error log is kept in memory, so that a test that meets a 500 can say what
 * the server saw (the error's code, message and first stack frames), not only the request id.
 */
export async function loggedTestApp(): Promise<LoggedTestApp> {
  const lines: Array<{
    reqId?: string;
    err?: { type?: string; code?: string; message?: string; stack?: string };
  }> = [];
  const logger = pino(
    { level: 'error' },
    {
      write(line: string) {
        lines.push(JSON.parse(line));
        if (lines.length > 1000) lines.shift();
      },
    },
  );
  const db = await memoryDb();
  const clock = new FixedClock('2026-06-01T12:00:00Z');
  const config = testConfig({ logLevel: 'error' });
  const app = await buildApp({ db, config, clock, logger });
  const secret = config.jwt.secret ?? '';
  return {
    app,
    db,
    clock,
    config,
    token: (claims: Partial<TokenClaims> & { userId: number }) =>
      signDevToken(secret, { username: `user${claims.userId}`, ...claims }, clock.now()),
    request: ({ as, headers, ...rest }) =>
      app.inject({ ...rest, headers: { ...headers, ...(as ? { authorization: `JWT ${as}` } : {}) } }),
    serverError(requestId) {
      const line = lines.find((l) => l.reqId === requestId && l.err);
      if (!line?.err) return undefined;
      // Campus's own frames say where; the database driver's say nothing.
      const stack = (line.err.stack ?? '')
        .split('\n')
        .filter((s) => s.includes('/src/'))
        .slice(0, 3)
        .map((s) => s.trim());
      return [
        `${line.err.type ?? 'Error'}${line.err.code ? ` ${line.err.code}` : ''}: ${line.err.message}`,
        ...stack,
      ].join(' | ');
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
