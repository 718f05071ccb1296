import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, type BuildAppOptions, buildApp } from '../../src/app.js';
import { type Config, testConfig } from '../../src/config.js';
import { type Db, openPglite } from '../../src/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { signDevToken, type TokenClaims } from '../../src/http/auth.js';
import type { CampusModule } from '../../src/http/module.js';
import { FixedClock } from '../../src/shared/clock.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../src/db/migrations');
const PGLITE_PACKAGE = path.resolve(
  import.meta.dirname,
  '../../node_modules/@electric-sql/pglite/package.json',
);

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

/** Every migration's text and the PGlite version: what the migrated image depends on. */
async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) hash.update(file).update(await readFile(path.join(MIGRATIONS, file)));
  hash.update(JSON.stringify(JSON.parse(await readFile(PGLITE_PACKAGE, 'utf8')).version));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The files of a freshly migrated database, made once per set of migrations and kept in the
 * system's temporary folder: migrating takes seconds, loading the image a fraction of one, and
 * every test file would otherwise migrate its own. Written to a temporary name and renamed, so
 * that test processes starting together never read half an image.
 */
async function migrated(): Promise<Blob> {
  const file = path.join(tmpdir(), `campus-test-db-${await migrationsFingerprint()}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const db = await openPglite('memory://');
    await migrateToLatest(db);
    const image = await db.dumpDataDir();
    await db.close();
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await image.arrayBuffer()));
    await rename(partial, file);
    return image;
  }
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
