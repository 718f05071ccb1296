import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three tiers, one command: `npm test` runs them all, in order; `npm run test:fast` runs the
 * first alone, for the edit loop.
 *
 * - fast: in-memory PGlite, no PostgreSQL server, no browser, no child process. Test files run
 *   side by side, one per core: each has its own databases, so they share nothing.
 * - system: what only a real PostgreSQL server proves (races, isolation, outages, crashes) and
 *   the tests that start Campus or its command line as processes. One file at a time: their
 *   timings and the shared cluster would suffer from a neighbour.
 * - browser: the pages in Chromium, one file at a time.
 *
 * A file's tier follows from what it uses; test/foundation/test-tiers.test.ts checks that no
 * file needing PostgreSQL, a browser or a process lands in the fast tier.
 */
export const SYSTEM_TIER = [
  '**/*.race.test.ts',
  '**/*postgres.test.ts',
  'src/modules/access/test/group-commit.redeem.test.ts',
  'src/modules/catalog/test/import.test.ts',
  'src/modules/ledger/test/ledger.jobs.test.ts',
  'src/modules/notifications/test/outbox.test.ts',
  'src/modules/provisioning/test/provision-cli.test.ts',
  'test/foundation/cli.test.ts',
  'test/foundation/data-dir-lock.test.ts',
  'test/foundation/data-dir-owner.test.ts',
  'test/foundation/db.test.ts',

  'test/foundation/serve.test.ts',
  'test/reliability/**/*.test.ts',
  'test/support/postgres-cluster.test.ts',
];
export const BROWSER_TIER = [
  'test/web/pages.test.ts',
  'test/web/cross-origin-mfe.test.ts',
  'test/web/lms-in-flight.test.ts',
  'test/clients/csrf-cors.test.ts',
];
const ALL = ['src/**/*.test.ts', 'test/**/*.test.ts'];

const shared = {
  // PGlite instances are heavy; forks keep each file's databases in its own process.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'fast',
          include: ALL,
          exclude: [...SYSTEM_TIER, ...BROWSER_TIER],
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'system',
          include: SYSTEM_TIER,
          globalSetup: ['test/global-setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'browser',
          include: BROWSER_TIER,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
