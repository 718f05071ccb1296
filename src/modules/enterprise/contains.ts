import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { Principal } from '../../shared/principal.js';
import { matchContentKeys, matchContentKeysForFilters } from '../catalog/index.js';
import { requireRead } from './authorize.js';
import { loadVisibleCatalog } from './catalogs.js';
import * as catalogs from './catalogs.repository.js';
import * as customers from './customers.repository.js';
import { customerNotFound, noContentKeys } from './enterprise.errors.js';
import type { EnterpriseCatalogRow } from './schema.js';

export interface ContainsAnswer {
  /** True iff every requested key is in. */
  contains_content_items: boolean;
  by_key: Record<string, boolean>;
}

function allIn(byKey: Record<string, boolean>, keys: string[]): boolean {
  return keys.length > 0 && keys.every((k) => byKey[k] === true);
}

async function byCatalog(
  db: Executor,
  rows: EnterpriseCatalogRow[],
  keys: string[],
): Promise<Array<{ uuid: string; byKey: Record<string, boolean> }>> {
  const answers = await matchContentKeysForFilters(
    db,
    rows.map((r) => r.content_filter),
    keys,
  );
  return rows.map((row, i) => ({ uuid: row.uuid, byKey: answers[i] ?? {} }));
}

/** For several catalogs at once: catalog uuid → key → contained (unknown catalogs contain nothing). */
export async function catalogsContain(
  db: Executor,
  catalogUuids: string[],
  keys: string[],
): Promise<Map<string, Record<string, boolean>>> {
  const rows = await catalogs.getByUuids(db, [...new Set(catalogUuids)]);
  const answers = await byCatalog(db, rows, keys);
  const out = new Map(answers.map((a) => [a.uuid, a.byKey]));
  for (const uuid of catalogUuids)
    if (!out.has(uuid)) out.set(uuid, Object.fromEntries(keys.map((k) => [k, false])));
  return out;
}

/** For each key, whether the catalog contains it; every key false when the catalog is unknown. */
export async function catalogContains(
  db: Executor,
  catalogUuid: string,
  keys: string[],
): Promise<Record<string, boolean>> {
  const row = await catalogs.getByUuid(db, catalogUuid);
  if (!row) return Object.fromEntries(keys.map((k) => [k, false]));
  return matchContentKeys(db, row.content_filter, keys);
}

/** The uuids of the customer's catalogs that contain every one of `keys` (none for no keys). */
export async function customerCatalogsContaining(
  db: Executor,
  customerUuid: string,
  keys: string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await catalogs.listByCustomer(db, customerUuid);
  return (await byCatalog(db, rows, keys)).filter((c) => allIn(c.byKey, keys)).map((c) => c.uuid);
}

/** For each key, whether any catalog of the customer contains it, and which catalogs contain any of them. */
export async function customerContains(
  db: Executor,
  customerUuid: string,
  keys: string[],
): Promise<ContainsAnswer & { catalog_list: string[] }> {
  const rows = await catalogs.listByCustomer(db, customerUuid);
  const answers = await byCatalog(db, rows, keys);
  const byKey = Object.fromEntries(keys.map((k) => [k, answers.some((a) => a.byKey[k] === true)]));
  return {
    contains_content_items: allIn(byKey, keys),
    by_key: byKey,
    catalog_list: answers.filter((a) => keys.some((k) => a.byKey[k] === true)).map((a) => a.uuid),
  };
}

/** `GET enterprise-catalogs/{uuid}/contains_content_items/`: the customer's admins and learners. */
export async function catalogContainsItems(
  ctx: AppContext,
  actor: Principal,
  input: { catalogUuid: string; keys: string[] },
): Promise<ContainsAnswer> {
  const row = await loadVisibleCatalog(ctx, actor, input.catalogUuid, { learnersMayRead: true });
  if (input.keys.length === 0) throw noContentKeys();
  const byKey = await matchContentKeys(ctx.db.kysely, row.content_filter, input.keys);
  return { contains_content_items: allIn(byKey, input.keys), by_key: byKey };
}

/** `GET enterprise-customer/{uuid}/contains_content_items/`: over all the customer's catalogs. */
export async function customerContainsItems(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; keys: string[]; withCatalogs: boolean },
): Promise<ContainsAnswer & { catalog_list?: string[] }> {
  await requireRead(ctx.db.kysely, actor, input.customerUuid);
  if (!(await customers.getByUuid(ctx.db.kysely, input.customerUuid)))
    throw customerNotFound(input.customerUuid);
  if (input.keys.length === 0) throw noContentKeys();
  const answer = await customerContains(ctx.db.kysely, input.customerUuid, input.keys);
  return input.withCatalogs
    ? answer
    : { contains_content_items: answer.contains_content_items, by_key: answer.by_key };
}
