import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CustomerConfigurationRow, RequestCustomerConfigurationsTable } from './schema.js';

function visible(db: Executor, customers: string[] | '*') {
  const q = db.selectFrom('request_customer_configurations');
  return customers === '*' ? q : q.where((eb) => inList(eb, 'enterprise_customer_uuid', customers));
}

/** A page of the customers' configurations, oldest first, and their number. */
export async function list(
  db: Executor,
  customers: string[] | '*',
  window: PageWindow,
): Promise<Paged<CustomerConfigurationRow>> {
  return paged(
    db,
    visible(db, customers),
    (q) => q.selectAll().orderBy('created').orderBy('enterprise_customer_uuid'),
    window,
  );
}

export async function get(db: Executor, customerUuid: string): Promise<CustomerConfigurationRow | undefined> {
  return db
    .selectFrom('request_customer_configurations')
    .selectAll()
    .where('enterprise_customer_uuid', '=', customerUuid)
    .executeTakeFirst();
}

export async function lock(
  db: Executor,
  customerUuid: string,
): Promise<CustomerConfigurationRow | undefined> {
  return db
    .selectFrom('request_customer_configurations')
    .selectAll()
    .where('enterprise_customer_uuid', '=', customerUuid)
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts unless the customer has one already (then undefined). */
export async function insertIfMissing(
  db: Executor,
  row: Insertable<RequestCustomerConfigurationsTable>,
): Promise<CustomerConfigurationRow | undefined> {
  return db
    .insertInto('request_customer_configurations')
    .values(row)
    .onConflict((oc) => oc.column('enterprise_customer_uuid').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function update(
  db: Executor,
  customerUuid: string,
  fields: Updateable<RequestCustomerConfigurationsTable>,
): Promise<CustomerConfigurationRow> {
  return db
    .updateTable('request_customer_configurations')
    .set(fields)
    .where('enterprise_customer_uuid', '=', customerUuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}
