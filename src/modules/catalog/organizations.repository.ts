import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { OrganizationRow } from './schema.js';

export interface OrganizationFilter {
  keys?: string[];
  uuids?: string[];
}

export async function getOrganizationByKey(db: Executor, key: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('catalog_organizations').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function getOrganizationByUuid(
  db: Executor,
  uuid: string,
): Promise<OrganizationRow | undefined> {
  return db.selectFrom('catalog_organizations').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getOrganizationsByUuids(db: Executor, uuids: string[]): Promise<OrganizationRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('catalog_organizations').selectAll().where('uuid', 'in', uuids).execute();
}

function filtered(db: Executor, f: OrganizationFilter) {
  let q = db.selectFrom('catalog_organizations');
  const { keys, uuids } = f;
  if (keys) q = q.where((eb) => inList(eb, 'key', keys));
  if (uuids) q = q.where((eb) => inList(eb, 'uuid', uuids));
  return q;
}

/** A page of the filtered organizations, by key, and their number. */
export async function listOrganizations(
  db: Executor,
  f: OrganizationFilter,
  window: PageWindow,
): Promise<Paged<OrganizationRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('key'), window);
}

/** Inserts an organization; returns nothing when its key is taken. */
export async function insertOrganization(
  db: Executor,
  row: { uuid: string; key: string; name: string; now: Date },
): Promise<OrganizationRow | undefined> {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_organizations')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateOrganizationName(
  db: Executor,
  uuid: string,
  name: string,
  now: Date,
): Promise<OrganizationRow> {
  return db
    .updateTable('catalog_organizations')
    .set({ name, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}
