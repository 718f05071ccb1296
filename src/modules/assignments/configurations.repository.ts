import type { Insertable } from 'kysely';
import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { AssignmentConfigurationsTable, ConfigurationRow } from './schema.js';

export interface ConfigurationFilter {
  enterpriseCustomerUuid: string;
  active?: boolean;
}

function filtered(db: Executor, f: ConfigurationFilter) {
  let q = db
    .selectFrom('assignment_configurations')
    .where('enterprise_customer_uuid', '=', f.enterpriseCustomerUuid);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  return q;
}

/** A page of a customer's configurations, newest first, and their number. */
export async function list(
  db: Executor,
  f: ConfigurationFilter,
  window: PageWindow,
): Promise<Paged<ConfigurationRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'), window);
}

export async function getById(db: Executor, uuid: string): Promise<ConfigurationRow | undefined> {
  return db.selectFrom('assignment_configurations').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function insert(
  db: Executor,
  row: Insertable<AssignmentConfigurationsTable>,
): Promise<ConfigurationRow> {
  return db.insertInto('assignment_configurations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function setActive(
  db: Executor,
  uuid: string,
  active: boolean,
  now: Date,
): Promise<ConfigurationRow> {
  return db
    .updateTable('assignment_configurations')
    .set({ active, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}
