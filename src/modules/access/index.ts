import type { CampusModule } from '../../http/module.js';
import { provideAssignmentPolicies } from '../assignments/index.js';
import { getPolicyRow, lockPolicyForAllocation, policyOfAssignmentConfiguration } from './allocation.js';
import { accessRoutes } from './routes.js';

/**
 * Access's part of the wiring (src/wiring.ts): assignments reads and locks the policies of its
 * configurations through these (it does not import access: the arrow between the two modules
 * points from access to assignments).
 */
export function wireAccess(): void {
  provideAssignmentPolicies({
    get: getPolicyRow,
    lock: lockPolicyForAllocation,
    ofConfiguration: policyOfAssignmentConfiguration,
  });
}

/**
 * Subsidy access policies (budgets): who may spend a subsidy on what, and redemption through
 * them — can-redeem, redeem, credits available, forced redemption, attempts.
 */
export { getPolicyRow, lockPolicyForAllocation } from './allocation.js';
export {
  type BnrEnablingCheck,
  bnrEnabled,
  bnrPoliciesOfCustomer,
  customerHasBnrPolicy,
  type LearnerRequestItem,
  type LearnerRequestsSource,
  onBnrEnabling,
  onLearnerRequests,
  usesAssignments,
} from './bnr.js';
export type { CreatePolicyInput } from './create-policy.js';
export { getOrCreatePolicy } from './get-or-create-policy.js';
export { type ReconcileReport, reconcileLmsFulfillments } from './lms-redemption.js';
export { checkFieldConstraints as checkPolicyFieldConstraints } from './policy.rules.js';
export { type CreatePolicyBody, createPolicyBody } from './policy.schemas.js';
export { type PolicyModelView, policyModelView } from './policy-model.view.js';
export type { PolicyRow, PolicyType } from './schema.js';

export const accessModule: CampusModule = { name: 'access', prefix: '/access', routes: accessRoutes };
