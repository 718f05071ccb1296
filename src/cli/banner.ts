import { devSignInEnabled } from '../config.js';
import type { AppContext } from '../context.js';
import { DEMO_SLUG, DEMO_USERS } from '../demo-users.js';
import { getEnterpriseCustomerBySlug } from '../modules/enterprise/index.js';

/** What a person who just ran `npm start` needs next: where the pages are, and who to sign in as. */
export async function startupBanner(ctx: AppContext, address: string): Promise<string[]> {
  const lines = [
    `Campus is ready at ${address}`,
    `  Web pages       ${address}/app/`,
    `  API reference   ${address}/docs   (OpenAPI: ${address}/openapi.json)`,
  ];
  // The development sign-in page exists only where it is enabled (src/http/web.routes.ts).
  if (!devSignInEnabled(ctx.config)) return lines;
  const demo = await getEnterpriseCustomerBySlug(ctx.db.kysely, DEMO_SLUG);
  if (!demo) {
    lines.push(
      '  No demo data yet: restart with `npm start -- --demo`, or run `npx campus seed --demo` now.',
    );
    return lines;
  }
  lines.push(`  Demo University is loaded. Sign in at ${address}/app/sign-in as:`);
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  for (const u of DEMO_USERS) lines.push(`    ${u.username.padEnd(width)}  ${u.blurb}`);
  return lines;
}
