import type { AppContext } from '../context.js';
import { DEMO_SLUG } from '../demo-users.js';
import type { CatalogImportReport } from '../modules/catalog/index.js';
import { seedCredentialsDemo } from '../modules/credentials/index.js';
import { seedDemoEnterprise } from './demo-enterprise.js';
import { importCatalogCommand, readCatalogDump, SAMPLE_CATALOG } from './import.js';
import type { CliIo } from './io.js';

/**
 * The demo data (`campus seed --demo`, `npm start -- --demo`): the sample catalog, learners with
 * certificates (so that a program record shows) and Demo University, whose users sign in at
 * /app/sign-in. Safe to repeat.
 */
export async function seedDemo(ctx: AppContext, io: CliIo): Promise<CatalogImportReport> {
  const imported = await importCatalogCommand(ctx, await readCatalogDump(SAMPLE_CATALOG), io);
  await seedCredentialsDemo(ctx);
  const demo = await seedDemoEnterprise(ctx);
  io.out(
    `Demo University (${DEMO_SLUG}, ${demo.enterpriseUuid}): ${demo.created ? 'created' : 'already there'}; ` +
      `${demo.assignments} assignment(s), ${demo.redemptions} enrollment(s), ${demo.requests} request(s) added.`,
  );
  return imported;
}
