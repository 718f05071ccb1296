import type { Executor } from '../../db/db.js';
import * as requests from './requests.repository.js';
import { requestView } from './views.js';

/**
 * credits_available's `learner_requests`: the learner's requested and approved requests on each
 * bnr-enabled policy (registered with access at load; one query for all policies).
 */
export async function learnerRequestsOfPolicies(
  db: Executor,
  input: { policyUuids: string[]; lmsUserId: number },
): Promise<Map<string, unknown[]>> {
  const rows = await requests.ofLearnerOnPolicies(db, {
    lmsUserId: input.lmsUserId,
    policyUuids: input.policyUuids,
    states: ['requested', 'approved'],
  });
  const out = new Map<string, unknown[]>();
  for (const r of rows) out.set(r.policy_uuid, [...(out.get(r.policy_uuid) ?? []), requestView(r)]);
  return out;
}
