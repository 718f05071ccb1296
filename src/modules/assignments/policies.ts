import type { Executor, Trx } from '../../database.js';

/**
 * What assignments knows of a subsidy access policy: the fields its rules read. Policies belong to
 * access, which imports assignments (redemption reads and accepts assignments); so that the arrow
 * points one way, access gives assignments these reads and the policy lock (access/index.ts calls
 * provideAssignmentPolicies) instead of assignments importing access.
 */
export interface AssignmentPolicy {
  uuid: string;
  enterprise_customer_uuid: string;
  subsidy_uuid: string;
  catalog_uuid: string;
  spend_limit: number | null;
  active: boolean;
  retired: boolean;
  assignment_configuration_uuid: string | null;
}

export interface AssignmentPolicies {
  /** A policy by uuid. */
  get(db: Executor, policyUuid: string): Promise<AssignmentPolicy | undefined>;
  /**
   * Locks the policy row for the rest of the transaction: the lock redemptions take first, so
   * allocations and redemptions through one policy never together pass its spend limit. A policy
   * that is gone is a 404.
   */
  lock(trx: Trx, policyUuid: string): Promise<AssignmentPolicy>;
  /** The policy an assignment configuration belongs to, if any. */
  ofConfiguration(db: Executor, configurationUuid: string): Promise<AssignmentPolicy | undefined>;
}

let provided: AssignmentPolicies | null = null;

/** Access's reads and lock of policies (registered once, when access is loaded). */
export function provideAssignmentPolicies(policies: AssignmentPolicies): void {
  provided = policies;
}

export function policies(): AssignmentPolicies {
  if (!provided) throw new Error('assignments: no policies provided (the access module registers them)');
  return provided;
}
