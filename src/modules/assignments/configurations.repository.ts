import type { Insertable } from 'kysely';
import type { Executor } from '../../database.js';
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

export async function count(db: Executor, f: ConfigurationFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function list(
  db: Executor,
  f: ConfigurationFilter,
  page: { offset: number; limit: number },
): Promise<ConfigurationRow[]> {
  return filtered(db, f)
    .selectAll()
    .orderBy('created', 'desc')
    .orderBy('uuid')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
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
