import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CustomerFilter } from './customer-filter.js';
import type { EnterpriseCatalogRow } from './schema.js';

export async function getByUuid(db: Executor, uuid: string): Promise<EnterpriseCatalogRow | undefined> {
  return db.selectFrom('enterprise_catalogs').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getByUuids(db: Executor, uuids: string[]): Promise<EnterpriseCatalogRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('enterprise_catalogs').selectAll().where('uuid', 'in', uuids).execute();
}

export async function listByCustomer(db: Executor, customerUuid: string): Promise<EnterpriseCatalogRow[]> {
  return db
    .selectFrom('enterprise_catalogs')
    .selectAll()
    .where('enterprise_customer_uuid', '=', customerUuid)
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}

function scoped(db: Executor, customers: CustomerFilter, customerUuid?: string) {
  let q = db.selectFrom('enterprise_catalogs');
  if (customers !== '*') q = q.where((eb) => inList(eb, 'enterprise_customer_uuid', customers));
  if (customerUuid) q = q.where('enterprise_customer_uuid', '=', customerUuid);
  return q;
}

/** A page of the catalogs of the customers, by title, and their number. */
export async function list(
  db: Executor,
  customers: CustomerFilter,
  customerUuid: string | undefined,
  window: PageWindow,
): Promise<Paged<EnterpriseCatalogRow>> {
  return paged(
    db,
    scoped(db, customers, customerUuid),
    (q) => q.selectAll().orderBy('title').orderBy('uuid'),
    window,
  );
}

export async function create(
  db: Executor,
  c: {
    uuid: string;
    enterprise_customer_uuid: string;
    title: string;
    content_filter: Record<string, unknown>;
  },
  now: Date,
): Promise<EnterpriseCatalogRow> {
  return db
    .insertInto('enterprise_catalogs')
    .values({ ...c, content_filter: JSON.stringify(c.content_filter), created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  changes: { title?: string; content_filter?: Record<string, unknown> },
  now: Date,
): Promise<EnterpriseCatalogRow | undefined> {
  return db
    .updateTable('enterprise_catalogs')
    .set({
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.content_filter !== undefined
        ? { content_filter: JSON.stringify(changes.content_filter) }
        : {}),
      modified: now,
    })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirst();
}

export async function remove(db: Executor, uuid: string): Promise<void> {
  await db.deleteFrom('enterprise_catalogs').where('uuid', '=', uuid).execute();
}
