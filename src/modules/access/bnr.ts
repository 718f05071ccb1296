import type { Executor } from '../../database.js';
import { canonicalUuid } from '../../shared/principal.js';
import * as bnr from './bnr.repository.js';
import type { PolicyRow } from './schema.js';

/*
 * Browse & request as the access module sees it: whether a policy has it on, and the two hooks
 * through which the requests module (which depends on access, not the other way round) takes
 * part in switching it on and in credits_available.
 */

/**
 * Browse & request is on: the policy points at its request configuration only while that is active
 * (the switch writes both in one transaction under the policy row lock), so the row alone says it.
 */
export const bnrEnabled = (p: Pick<PolicyRow, 'policy_type' | 'learner_credit_request_config_uuid'>) =>
  p.policy_type === 'PerLearnerSpendCreditAccessPolicy' && p.learner_credit_request_config_uuid !== null;

/**
 * The policy redeems only through allocated assignments, at their price: assigned learner credit,
 * and a spend policy with browse & request on (its approved requests are assignments).
 */
export const usesAssignments = (
  p: Pick<PolicyRow, 'policy_type' | 'learner_credit_request_config_uuid' | 'assignment_configuration_uuid'>,
) =>
  p.policy_type === 'AssignedLearnerCreditAccessPolicy' ||
  (bnrEnabled(p) && p.assignment_configuration_uuid !== null);

export type BnrEnablingCheck = (trx: Executor, policy: PolicyRow) => Promise<void>;
/** One of credits_available's `learner_requests`: the requests module's view, at least these fields. */
export interface LearnerRequestItem {
  uuid: string;
  course_id: string;
  course_title: string | null;
  state: string;
  course_partners: { name: string; logo_image_url: string | null }[];
  [field: string]: unknown;
}
export type LearnerRequestsSource = (
  db: Executor,
  input: { policyUuids: string[]; lmsUserId: number },
) => Promise<Map<string, LearnerRequestItem[]>>;

// Code wiring, not state: the requests module registers these once, when its index is loaded.
const enablingChecks = new Set<BnrEnablingCheck>();
const requestSources = new Set<LearnerRequestsSource>();

/** Runs before a policy's browse & request is switched on; throws to refuse (one subsidy type rule). */
export function onBnrEnabling(check: BnrEnablingCheck): void {
  enablingChecks.add(check);
}

/** Supplies credits_available's `learner_requests` per bnr-enabled policy. */
export function onLearnerRequests(source: LearnerRequestsSource): void {
  requestSources.add(source);
}

export async function runBnrEnablingChecks(trx: Executor, policy: PolicyRow): Promise<void> {
  for (const check of enablingChecks) await check(trx, policy);
}

export async function learnerRequestsOf(
  db: Executor,
  input: { policyUuids: string[]; lmsUserId: number },
): Promise<Map<string, LearnerRequestItem[]>> {
  const out = new Map<string, LearnerRequestItem[]>();
  if (input.policyUuids.length === 0) return out;
  for (const source of requestSources) {
    for (const [policy, rows] of await source(db, input))
      out.set(policy, [...(out.get(policy) ?? []), ...rows]);
  }
  return out;
}

/** The customer's active policies with browse & request on, newest first. */
export async function bnrPoliciesOfCustomer(db: Executor, customerUuid: string): Promise<PolicyRow[]> {
  return bnr.bnrPoliciesOfCustomer(db, canonicalUuid(customerUuid));
}

/** Whether any active policy of the customer has browse & request on (the one subsidy type rule). */
export async function customerHasBnrPolicy(db: Executor, customerUuid: string): Promise<boolean> {
  return (await bnrPoliciesOfCustomer(db, customerUuid)).length > 0;
}
