import type { Executor, Trx } from '../../database.js';
import { NotFound } from '../../shared/errors.js';
import * as policies from './policy.repository.js';
import type { PolicyRow } from './schema.js';

/*
 * Reads and the lock of policies for the assignments and requests modules (no actor: the caller
 * has authorized its request). Assignments receives them through provideAssignmentPolicies.
 */

/** A policy by uuid. */
export async function getPolicyRow(db: Executor, policyUuid: string): Promise<PolicyRow | undefined> {
  return policies.getById(db, policyUuid);
}

/**
 * Locks the policy row for the rest of the transaction: the lock redemptions take first, so that
 * allocations and redemptions through one policy never together pass its spend limit. A policy
 * that is not there (deleted since the caller read it) is a 404, not a row to cast.
 */
export async function lockPolicyForAllocation(trx: Trx, policyUuid: string): Promise<PolicyRow> {
  const policy = await policies.lockById(trx, policyUuid);
  if (!policy) throw new NotFound(`No subsidy access policy ${policyUuid}.`, 'policy_not_found');
  return policy;
}

/** The policy an assignment configuration belongs to, if any. */
export async function policyOfAssignmentConfiguration(
  db: Executor,
  configurationUuid: string,
): Promise<PolicyRow | undefined> {
  return policies.getByAssignmentConfiguration(db, configurationUuid);
}
