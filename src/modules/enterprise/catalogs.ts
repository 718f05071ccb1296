import type { AppContext } from '../../context.js';
import { Forbidden, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { canManage, canRead, managedCustomers } from './authorize.js';
import * as catalogs from './catalogs.repository.js';
import { validateContentFilter } from './content-filter.js';
import * as customers from './customers.repository.js';
import { catalogExists, catalogNotFound, uniqueViolation } from './enterprise.errors.js';
import type { EnterpriseCatalogRow } from './schema.js';

export interface CatalogInput {
  uuid?: string;
  enterprise_customer: string;
  title: string;
  content_filter: Record<string, unknown>;
}

export type CatalogPatch = Partial<Pick<CatalogInput, 'title' | 'content_filter'>>;

/**
 * Loads a catalog the actor may see: managers of its customer read it; a learner of the customer
 * is refused (403); anyone else is told it does not exist (404).
 */
export async function loadVisibleCatalog(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  options: { learnersMayRead?: boolean } = {},
): Promise<EnterpriseCatalogRow> {
  const row = await catalogs.getByUuid(ctx.db.kysely, uuid);
  if (!row) throw catalogNotFound(uuid);
  if (canManage(actor, row.enterprise_customer_uuid)) return row;
  if (await canRead(ctx.db.kysely, actor, row.enterprise_customer_uuid)) {
    if (options.learnersMayRead) return row;
    throw new Forbidden('Only admins of this enterprise may read its catalogs.');
  }
  throw catalogNotFound(uuid);
}

export async function listCatalogs(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid?: string; offset: number; limit: number },
): Promise<{ count: number; rows: EnterpriseCatalogRow[] }> {
  const scope = managedCustomers(actor);
  return catalogs.list(ctx.db.kysely, scope, input.customerUuid, input);
}

export async function getCatalog(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<EnterpriseCatalogRow> {
  return loadVisibleCatalog(ctx, actor, uuid);
}

export async function createCatalog(
  ctx: AppContext,
  actor: Principal,
  input: CatalogInput,
): Promise<EnterpriseCatalogRow> {
  requireOperator(actor);
  const filter = validateContentFilter(input.content_filter);
  if (!(await customers.getByUuid(ctx.db.kysely, input.enterprise_customer))) {
    throw ValidationFailed.field(
      'enterprise_customer',
      `No enterprise customer ${input.enterprise_customer}.`,
      'enterprise_customer_not_found',
    );
  }
  const uuid = input.uuid ?? ctx.ids.uuid();
  if (await catalogs.getByUuid(ctx.db.kysely, uuid)) throw catalogExists(uuid);
  try {
    return await catalogs.create(
      ctx.db.kysely,
      {
        uuid,
        enterprise_customer_uuid: input.enterprise_customer,
        title: input.title,
        content_filter: filter,
      },
      ctx.clock.now(),
    );
  } catch (err) {
    if (uniqueViolation(err) !== null) throw catalogExists(uuid);
    throw err;
  }
}

export async function updateCatalog(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  patch: CatalogPatch,
): Promise<EnterpriseCatalogRow> {
  requireOperator(actor);
  const filter = patch.content_filter === undefined ? undefined : validateContentFilter(patch.content_filter);
  const row = await catalogs.update(
    ctx.db.kysely,
    uuid,
    { title: patch.title, content_filter: filter },
    ctx.clock.now(),
  );
  if (!row) throw catalogNotFound(uuid);
  return row;
}

export async function deleteCatalog(ctx: AppContext, actor: Principal, uuid: string): Promise<void> {
  requireOperator(actor);
  if (!(await catalogs.getByUuid(ctx.db.kysely, uuid))) throw catalogNotFound(uuid);
  await catalogs.remove(ctx.db.kysely, uuid);
}
