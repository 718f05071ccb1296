import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, type BuildAppOptions, buildApp } from '../../src/app.js';
import { type Config, testConfig } from '../../src/config.js';
import { type Db, openPglite } from '../../src/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { signDevToken, type TokenClaims } from '../../src/http/auth.js';
import type { CampusModule } from '../../src/http/module.js';
import { FixedClock } from '../../src/shared/clock.js';

export interface TestApp {
  app: App;
  db: Db;
  clock: FixedClock;
  config: Config;
  /** A signed token for these claims, valid at the test clock's time. */
  token(claims: Partial<TokenClaims> & { userId: number }): Promise<string>;
  /** `app.inject` with `as` turned into an Authorization header. */
  request(options: InjectOptions & { as?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let migratedImage: Promise<Blob> | null = null;

/** Migrates one database per test process and keeps its files, so that each new database starts from them. */
async function migrated(): Promise<Blob> {
  const db = await openPglite('memory://');
  await migrateToLatest(db);
  const image = await db.dumpDataDir();
  await db.close();
  return image;
}

/** A fresh in-memory database, migrated (loaded from a migrated image: a third of the start-up time). */
export async function memoryDb(options: { onQuery?: (sql: string) => void } = {}): Promise<Db> {
  migratedImage ??= migrated();
  return openPglite('memory://', { loadDataDir: await migratedImage, onQuery: options.onQuery });
}

/**
 * A whole Campus app on its own in-memory PGlite database with a fixed clock.
 * Pass `db` to run the same app on PostgreSQL.
 */
export async function testApp(
  options: {
    db?: Db;
    clock?: FixedClock;
    config?: Partial<Config>;
    modules?: CampusModule[];
    workflowFaults?: BuildAppOptions['workflowFaults'];
    onRoute?: BuildAppOptions['onRoute'];
    cliRelay?: BuildAppOptions['cliRelay'];
  } = {},
): Promise<TestApp> {
  const db = options.db ?? (await memoryDb());
  const clock = options.clock ?? new FixedClock('2026-06-01T12:00:00Z');
  const config = testConfig(options.config);
  const app = await buildApp({
    db,
    config,
    clock,
    modules: options.modules,
    workflowFaults: options.workflowFaults,
    onRoute: options.onRoute,
    cliRelay: options.cliRelay,
  });
  const secret = config.jwt.secret ?? '';
  const token = (claims: Partial<TokenClaims> & { userId: number }) =>
    signDevToken(secret, { username: `user${claims.userId}`, ...claims }, clock.now());
  return {
    app,
    db,
    clock,
    config,
    token,
    request: ({ as, headers, ...rest }) =>
      app.inject({ ...rest, headers: { ...headers, ...(as ? { authorization: `JWT ${as}` } : {}) } }),
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export const ENTERPRISE_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const ENTERPRISE_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

/**
 * The callers of the role matrix: nobody, a learner and an admin of enterprise A, a learner and an
 * admin of enterprise B (another enterprise), an operator, and staff.
 */
export async function personas(t: TestApp) {
  return {
    anonymous: null,
    learnerA: await t.token({
      userId: 101,
      email: 'learner.a@example.com',
      roles: [`enterprise_learner:${ENTERPRISE_A}`],
    }),
    adminA: await t.token({
      userId: 102,
      email: 'admin.a@example.com',
      roles: [`enterprise_admin:${ENTERPRISE_A}`],
    }),
    learnerB: await t.token({
      userId: 201,
      email: 'learner.b@example.com',
      roles: [`enterprise_learner:${ENTERPRISE_B}`],
    }),
    adminB: await t.token({
      userId: 202,
      email: 'admin.b@example.com',
      roles: [`enterprise_admin:${ENTERPRISE_B}`],
    }),
    operator: await t.token({
      userId: 900,
      email: 'ops@example.com',
      roles: ['enterprise_openedx_operator:*'],
    }),
    catalogAdmin: await t.token({ userId: 910, email: 'catalog@example.com', roles: ['catalog_admin:*'] }),
    staff: await t.token({ userId: 901, email: 'staff@example.com', isStaff: true }),
  };
}
export type Persona = keyof Awaited<ReturnType<typeof personas>>;
