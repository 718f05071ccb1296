import pg from 'pg';
import { openPostgres } from '../src/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findPostgresBinDir, startCluster } from '../test/support/postgres-cluster.js';

/**
 * A migrated database on a PostgreSQL server for a benchmark: `CAMPUS_BENCH_PG_URL` if set, else a
 * throwaway cluster started like the test suite's. Null (with the reason) when neither is possible.
 */
export async function benchDatabase(poolSize = 120, options: { onQuery?: (sql: string) => void } = {}) {
  let url = process.env.CAMPUS_BENCH_PG_URL ?? null;
  let stop = async () => {};
  if (!url) {
    if (!findPostgresBinDir())
      return { skip: 'no PostgreSQL server binaries (apt-get install postgresql)' } as const;
    const cluster = await startCluster();
    url = cluster.url;
    stop = cluster.stop;
  }
  const name = `campus_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = openPostgres(dbUrl.toString(), poolSize, options);
  await migrateToLatest(db);
  return {
    db,
    url: dbUrl.toString(),
    async close() {
      await db.close();
      await stop();
    },
  } as const;
}
