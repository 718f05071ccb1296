import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { type Db, openPostgres } from '../../src/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The throwaway cluster started by test/global-setup.ts, or null when PostgreSQL is not installed. */
export const pgUrl: string | null = inject('pgUrl');

/**
 * `describe` for tests that need a real PostgreSQL server. Without one they are reported as
 * skipped, with the reason in their name, never silently passed.
 */
export function describePg(name: string, fn: () => void): void {
  if (pgUrl) describe(`${name} [PostgreSQL]`, fn);
  else describe.skip(`${name} [skipped: ${inject('pgSkipReason') || 'no PostgreSQL server'}]`, fn);
}

/** A new, empty database on the test cluster (migrated unless told otherwise), dropped by `drop`. */
export async function createPgDatabase(options: { migrate?: boolean; poolSize?: number } = {}) {
  if (!pgUrl) throw new Error('no PostgreSQL test server');
  const name = `campus_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const db: Db = openPostgres(url.toString(), options.poolSize ?? 40);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
