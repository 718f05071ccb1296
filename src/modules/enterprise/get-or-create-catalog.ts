import type { AppContext } from '../../context.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { type CatalogInput, createCatalog } from './catalogs.js';
import * as catalogs from './catalogs.repository.js';
import type { EnterpriseCatalogRow } from './schema.js';

/**
 * The customer's catalog with this title, or a new one with the content filter (provisioning).
 * A catalog found by title keeps its own filter. Callers that may race serialize themselves
 * (provisioning holds its workflow's lock): titles are not unique per customer.
 */
export async function getOrCreateCatalog(
  ctx: AppContext,
  actor: Principal,
  input: Omit<CatalogInput, 'uuid'>,
): Promise<{ catalog: EnterpriseCatalogRow; created: boolean }> {
  requireOperator(actor);
  const found = (await catalogs.listByCustomer(ctx.db.kysely, input.enterprise_customer)).find(
    (c) => c.title === input.title,
  );
  if (found) return { catalog: found, created: false };
  return { catalog: await createCatalog(ctx, actor, input), created: true };
}
