import type { Insertable, Updateable } from 'kysely';
import type { Executor, Trx } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import { NotFound } from '../../shared/errors.js';
import type { PolicyRow, PolicyType, SubsidyAccessPoliciesTable } from './schema.js';

export interface PolicyFilter {
  enterpriseCustomerUuid: string;
  active?: boolean;
  policyType?: PolicyType;
}

function filtered(db: Executor, f: PolicyFilter) {
  let q = db
    .selectFrom('subsidy_access_policies')
    .where('enterprise_customer_uuid', '=', f.enterpriseCustomerUuid);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.policyType) q = q.where('policy_type', '=', f.policyType);
  return q;
}

/** A page of a customer's policies, newest first, and their number. */
export async function list(db: Executor, f: PolicyFilter, window: PageWindow): Promise<Paged<PolicyRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created', 'desc').orderBy('uuid'), window);
}

export async function getById(db: Executor, uuid: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('subsidy_access_policies').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** The policy row locked for the rest of the transaction: always taken before the ledger row. */
/** Locks a policy the caller knows exists (it read it before the transaction); a vanished one is a 404. */
export async function lockPolicy(trx: Trx, uuid: string): Promise<PolicyRow> {
  const row = await lockById(trx, uuid);
  if (!row) throw new NotFound(`No policy ${uuid}.`, 'policy_not_found');
  return row;
}

export async function lockById(db: Executor, uuid: string): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('uuid', '=', uuid)
    .forUpdate()
    .executeTakeFirst();
}

/** A customer's policies that can redeem (active, not retired), newest first. */
export async function redeemableOfCustomer(
  db: Executor,
  enterpriseCustomerUuid: string,
): Promise<PolicyRow[]> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('enterprise_customer_uuid', '=', enterpriseCustomerUuid)
    .where('active', '=', true)
    .where('retired', '=', false)
    .orderBy('created', 'desc')
    .orderBy('uuid')
    .execute();
}

/** The active policy a create request would duplicate (the create endpoint is idempotent on these). */
export async function findActiveTwin(
  db: Executor,
  p: Pick<
    PolicyRow,
    'policy_type' | 'enterprise_customer_uuid' | 'subsidy_uuid' | 'catalog_uuid' | 'access_method'
  >,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('active', '=', true)
    .where('policy_type', '=', p.policy_type)
    .where('enterprise_customer_uuid', '=', p.enterprise_customer_uuid)
    .where('subsidy_uuid', '=', p.subsidy_uuid)
    .where('catalog_uuid', '=', p.catalog_uuid)
    .where('access_method', '=', p.access_method)
    .orderBy('created')
    .executeTakeFirst();
}

/** The active policies of a subsidy (for the sum of spend limits against its deposits). */
export async function activeOfSubsidy(db: Executor, subsidyUuid: string): Promise<PolicyRow[]> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('subsidy_uuid', '=', subsidyUuid)
    .where('active', '=', true)
    .execute();
}

export async function insert(db: Executor, row: Insertable<SubsidyAccessPoliciesTable>): Promise<PolicyRow> {
  return db.insertInto('subsidy_access_policies').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  fields: Updateable<SubsidyAccessPoliciesTable>,
): Promise<PolicyRow> {
  return db
    .updateTable('subsidy_access_policies')
    .set(fields)
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Group uuids of many policies at once. */
export async function groupsOf(db: Executor, policyUuids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(policyUuids.map((u) => [u, []]));
  if (policyUuids.length === 0) return out;
  const rows = await db
    .selectFrom('policy_group_associations')
    .select(['policy_uuid', 'enterprise_group_uuid'])
    .where('policy_uuid', 'in', policyUuids)
    .orderBy('created')
    .execute();
  for (const r of rows) out.get(r.policy_uuid)?.push(r.enterprise_group_uuid);
  return out;
}

export async function setGroups(
  db: Executor,
  policyUuid: string,
  groupUuids: string[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('policy_group_associations').where('policy_uuid', '=', policyUuid).execute();
  if (groupUuids.length === 0) return;
  await db
    .insertInto('policy_group_associations')
    .values(
      groupUuids.map((g) => ({
        policy_uuid: policyUuid,
        enterprise_group_uuid: g,
        created: now,
        modified: now,
      })),
    )
    .execute();
}

/** Removes a group from every policy of the customer that names it. */
export async function deleteGroupAssociations(
  db: Executor,
  enterpriseCustomerUuid: string,
  groupUuid: string,
): Promise<number> {
  const r = await db
    .deleteFrom('policy_group_associations')
    .where('enterprise_group_uuid', '=', groupUuid)
    .where('policy_uuid', 'in', (eb) =>
      eb
        .selectFrom('subsidy_access_policies')
        .select('uuid')
        .where('enterprise_customer_uuid', '=', enterpriseCustomerUuid),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The policy that owns an assignment configuration (one at most). */
export async function getByAssignmentConfiguration(
  db: Executor,
  configurationUuid: string,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('assignment_configuration_uuid', '=', configurationUuid)
    .orderBy('created')
    .executeTakeFirst();
}
