import type { Executor } from '../../database.js';
import type { LearnerRequestItem } from '../access/index.js';
import { requestViewsOf } from './request-views.js';
import * as requests from './requests.repository.js';

/**
 * credits_available's `learner_requests`: the learner's requested and approved requests on each
 * bnr-enabled policy (registered with access at load; one query for all policies).
 */
export async function learnerRequestsOfPolicies(
  db: Executor,
  input: { policyUuids: string[]; lmsUserId: number },
): Promise<Map<string, LearnerRequestItem[]>> {
  const rows = await requests.ofLearnerOnPolicies(db, {
    lmsUserId: input.lmsUserId,
    policyUuids: input.policyUuids,
    states: ['requested', 'approved'],
  });
  const views = await requestViewsOf(db, rows);
  const out = new Map<string, LearnerRequestItem[]>();
  for (const v of views) out.set(v.policy_uuid, [...(out.get(v.policy_uuid) ?? []), v]);
  return out;
}
