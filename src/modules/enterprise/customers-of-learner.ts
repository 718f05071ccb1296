import type { Executor } from '../../database.js';
import type { EnterpriseCustomer } from './schema.js';

/** A learner's active membership of a customer, with the customer row and when it was linked. */
export interface LearnerCustomer {
  customer: EnterpriseCustomer;
  linked: Date;
}

/**
 * The customers a learner is an active member of, most recently linked first, in one statement
 * (the learner portal's "enterprise customer users"). No actor: the caller has authorized its request.
 */
export async function customersOfLearner(db: Executor, lmsUserId: number): Promise<LearnerCustomer[]> {
  const rows = await db
    .selectFrom('enterprise_memberships as m')
    .innerJoin('enterprise_customers as c', 'c.uuid', 'm.enterprise_customer_uuid')
    .selectAll('c')
    .select('m.linked as membership_linked')
    .where('m.lms_user_id', '=', lmsUserId)
    .where('m.active', '=', true)
    .orderBy('m.linked', 'desc')
    .orderBy('c.uuid')
    .execute();
  return rows.map(({ membership_linked, ...customer }) => ({ customer, linked: membership_linked }));
}

/** The enterprise catalog uuids of many customers, in one statement; every asked customer is a key. */
export async function catalogUuidsOfCustomers(
  db: Executor,
  customerUuids: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(customerUuids.map((u) => [u, []]));
  if (customerUuids.length === 0) return out;
  const rows = await db
    .selectFrom('enterprise_catalogs')
    .select(['uuid', 'enterprise_customer_uuid'])
    .where('enterprise_customer_uuid', 'in', [...new Set(customerUuids)])
    .orderBy('created')
    .orderBy('uuid')
    .execute();
  for (const r of rows) out.get(r.enterprise_customer_uuid)?.push(r.uuid);
  return out;
}
