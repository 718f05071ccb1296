import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
import type { CustomerConfigurationRow, RequestCustomerConfigurationsTable } from './schema.js';

function visible(db: Executor, customers: string[] | '*') {
  let q = db.selectFrom('request_customer_configurations');
  if (customers !== '*') {
    q = customers.length
      ? q.where('enterprise_customer_uuid', 'in', customers)
      : q.where('enterprise_customer_uuid', 'is', null);
  }
  return q;
}

export async function count(db: Executor, customers: string[] | '*'): Promise<number> {
  return countRows(visible(db, customers));
}

export async function list(
  db: Executor,
  customers: string[] | '*',
  page: { offset: number; limit: number },
): Promise<CustomerConfigurationRow[]> {
  return visible(db, customers)
    .selectAll()
    .orderBy('created')
    .orderBy('enterprise_customer_uuid')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
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
