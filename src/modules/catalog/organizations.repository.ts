import type { Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
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
  if (f.keys) q = q.where('key', 'in', f.keys.length ? f.keys : ['']);
  if (f.uuids) q = q.where('uuid', 'in', f.uuids.length ? f.uuids : ['00000000-0000-0000-0000-000000000000']);
  return q;
}

export async function countOrganizations(db: Executor, f: OrganizationFilter): Promise<number> {
  return countRows(filtered(db, f));
}

export async function listOrganizations(
  db: Executor,
  f: OrganizationFilter,
  offset: number,
  limit: number,
): Promise<OrganizationRow[]> {
  return filtered(db, f).selectAll().orderBy('key').offset(offset).limit(limit).execute();
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
