import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { seedDemoEnterprise } from '../../src/cli/demo-enterprise.js';
import { readCatalogDump, SAMPLE_CATALOG } from '../../src/cli/import.js';
import type { Config } from '../../src/config.js';
import { DEMO_SLUG } from '../../src/demo-users.js';
import { importCatalog } from '../../src/modules/catalog/index.js';
import { seedCredentialsDemo } from '../../src/modules/credentials/index.js';
import { FixedClock } from '../../src/shared/clock.js';
import { type TestApp, testApp } from '../support/app.js';

/** When the demo data's runs are open for enrollment (the sample catalog is dated). */
export const WEB_TEST_TIME = '2026-11-23T12:00:00Z';

export interface WebApp {
  t: TestApp;
  baseUrl: string;
  enterpriseUuid: string;
  slug: string;
  close(): Promise<void>;
}

/** Campus on in-memory PGlite with the demo data (`campus seed --demo`), listening on a free port. */
export async function webApp(options: { config?: Partial<Config> } = {}): Promise<WebApp> {
  const t = await testApp({ clock: new FixedClock(WEB_TEST_TIME), config: options.config });
  const ctx = { ...t.app.campus, log: pino({ level: 'silent' }) };
  await importCatalog(ctx, await readCatalogDump(SAMPLE_CATALOG));
  await seedCredentialsDemo(ctx);
  const demo = await seedDemoEnterprise(ctx);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    enterpriseUuid: demo.enterpriseUuid,
    slug: DEMO_SLUG,
    close: () => t.close(),
  };
}
