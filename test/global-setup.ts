/**
 * Vitest globalSetup: provides a PostgreSQL server URL to tests as `inject('pgUrl')`.
 *
 * - `CAMPUS_TEST_PG_URL` set: that server is used (after checking it answers `select 1`).
 * - Otherwise a throwaway cluster is started from the local PostgreSQL binaries and stopped
 *   after the run.
 * - No usable server: `pgUrl` is null, `pgSkipReason` says why, and PostgreSQL-backed tests
 *   skip — unless `CAMPUS_REQUIRE_PG=1` (CI), in which case the run fails.
 */
import type { TestProject } from 'vitest/node';
import { checkPostgres, findPostgresBinDir, startCluster } from './support/postgres-cluster.js';

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const required = process.env.CAMPUS_REQUIRE_PG === '1';

  const unavailable = (reason: string, detail?: string): undefined => {
    if (required) {
      throw new Error(
        `CAMPUS_REQUIRE_PG=1 but PostgreSQL is unavailable: ${reason}${detail ? `\n${detail}` : ''}`,
      );
    }
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', reason);
    process.stderr.write(`WARNING: PostgreSQL-backed tests will be SKIPPED: ${reason}\n`);
    return undefined;
  };

  const externalUrl = process.env.CAMPUS_TEST_PG_URL?.trim();
  if (externalUrl) {
    try {
      await checkPostgres(externalUrl);
    } catch (err) {
      return unavailable(`CAMPUS_TEST_PG_URL server does not answer: ${firstLine((err as Error).message)}`);
    }
    project.provide('pgUrl', externalUrl);
    project.provide('pgSkipReason', '');
    return undefined;
  }

  const binDir = findPostgresBinDir();
  if (!binDir) {
    return unavailable(
      'PostgreSQL server binaries (initdb, pg_ctl) not found via pg_config, /usr/lib/postgresql/*/bin or PATH',
    );
  }

  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster({ binDir });
  } catch (err) {
    const message = (err as Error).message;
    return unavailable(`could not start a PostgreSQL cluster from ${binDir}: ${firstLine(message)}`, message);
  }

  project.provide('pgUrl', cluster.url);
  project.provide('pgSkipReason', '');
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    pgSkipReason: string;
  }
}
