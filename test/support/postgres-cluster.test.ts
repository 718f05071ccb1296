import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { findPostgresBinDir, startCluster } from './postgres-cluster.js';

const binDir = findPostgresBinDir();
const pgUrl = inject('pgUrl');

async function queryOne(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: unknown }>(sql);
    return rows[0]?.value;
  } finally {
    await client.end();
  }
}

describe('postgres-cluster', () => {
  if (binDir) {
    it('starts a throwaway cluster, answers select 1, and removes its directory on stop', async () => {
      const cluster = await startCluster({ binDir });
      let stopped = false;
      try {
        expect(cluster.url).toMatch(/^postgres:\/\/campus@127\.0\.0\.1:\d+\/postgres$/);
        expect(await queryOne(cluster.url, 'select 1 as value')).toBe(1);
        // The server's socket directory (-k) is the cluster's temporary directory.
        const dir = String(
          await queryOne(cluster.url, "select current_setting('unix_socket_directories') as value"),
        );
        expect(existsSync(dir)).toBe(true);
        await cluster.stop();
        stopped = true;
        expect(existsSync(dir)).toBe(false);
      } finally {
        if (!stopped) await cluster.stop();
      }
    }, 180_000);
  } else {
    it.skip('starts a throwaway cluster (skipped: PostgreSQL binaries initdb/pg_ctl not found)', () => {});
  }

  if (pgUrl) {
    it('global setup provides a working pgUrl', async () => {
      expect(await queryOne(pgUrl, 'select 1 as value')).toBe(1);
    });
  } else {
    it.skip(`global setup provides a working pgUrl (skipped: ${inject('pgSkipReason')})`, () => {});
  }
});
