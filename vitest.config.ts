import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Four tiers, one command: `npm test` runs them all, in order; `npm run test:fast` runs the
 * first alone, for the edit loop (about two minutes on two cores).
 *
 * - fast: in-memory PGlite, no PostgreSQL server, no browser, no child process. Test files run
 *   side by side, one per core, each test on databases of its own. A worker keeps its imported
 *   modules from one file to the next (no isolation): importing the application again for every
 *   file cost more than the tests. The module state that lives across files is the wiring
 *   (idempotent) and the migrated image; a test must leave no other behind.
 * - scenarios: the same kind, but long — every route for every caller (the role matrix), whole
 *   browse-and-request and LMS scenarios, the ledger's property runs.
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
export const SCENARIO_TIER = [
  'test/role-matrix.test.ts',
  'src/modules/requests/test/browse-and-request.test.ts',
  'src/modules/access/test/lms-fulfillment.test.ts',
  'src/modules/ledger/test/ledger.test.ts',
  'src/modules/subsidy/test/sync-lms-unenrollments.test.ts',
  'src/modules/requests/test/list-counts.test.ts',
  'src/modules/workflows/test/engine.test.ts',
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
          exclude: [...SCENARIO_TIER, ...SYSTEM_TIER, ...BROWSER_TIER],
          maxWorkers: availableParallelism(),
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'scenarios',
          include: SCENARIO_TIER,
          maxWorkers: availableParallelism(),
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'system',
          include: SYSTEM_TIER,
          globalSetup: ['test/global-setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...shared,
          name: 'browser',
          include: BROWSER_TIER,
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
