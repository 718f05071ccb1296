import type { Executor } from '../../database.js';
import type { PolicyRow, RequestConfigurationRow } from './schema.js';

/** The request configuration of a policy (one at most), whether active or not. */
export async function getByPolicy(
  db: Executor,
  policyUuid: string,
): Promise<RequestConfigurationRow | undefined> {
  return db
    .selectFrom('learner_credit_request_configurations')
    .selectAll()
    .where('policy_uuid', '=', policyUuid)
    .executeTakeFirst();
}

/** Creates the policy's configuration or switches the existing one. */
export async function upsert(
  db: Executor,
  row: { uuid: string; policy_uuid: string; active: boolean; now: Date },
): Promise<RequestConfigurationRow> {
  return db
    .insertInto('learner_credit_request_configurations')
    .values({
      uuid: row.uuid,
      policy_uuid: row.policy_uuid,
      active: row.active,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) => oc.column('policy_uuid').doUpdateSet({ active: row.active, modified: row.now }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The customer's redeemable policies with browse & request on, newest first. */
export async function bnrPoliciesOfCustomer(db: Executor, customerUuid: string): Promise<PolicyRow[]> {
  return db
    .selectFrom('subsidy_access_policies')
    .selectAll()
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('learner_credit_request_config_uuid', 'is not', null)
    .where('active', '=', true)
    .where('retired', '=', false)
    .orderBy('created', 'desc')
    .orderBy('uuid')
    .execute();
}
