import type { CampusModule } from '../../http/module.js';
import { onBnrEnabling, onLearnerRequests } from '../access/index.js';
import { onAssignmentTransition } from '../assignments/index.js';
import { refuseBnrWhileSubsidyRequests } from './customer-configurations.js';
import { followAssignments } from './follow-assignments.js';
import { learnerRequestsOfPolicies } from './learner-requests.js';
import { requestsRoutes } from './routes.js';

/**
 * Browse & request for learner credit: learners ask for courses on a bnr-enabled policy, admins
 * approve them into assignments (or decline, cancel, remind); requests follow their assignments.
 * Its part of the wiring (src/wiring.ts): following assignments, refusing bnr while the customer
 * takes license or coupon requests, and the learner's requests in credits_available.
 */
export function wireRequests(): void {
  onAssignmentTransition(followAssignments);
  onBnrEnabling(refuseBnrWhileSubsidyRequests);
  onLearnerRequests(learnerRequestsOfPolicies);
}

export { type DigestReport, sendRequestDigests } from './digest.js';

export const requestsModule: CampusModule = { name: 'requests', prefix: '/access', routes: requestsRoutes };
