import type { CampusModule } from '../../http/module.js';
import { accessRoutes } from './routes.js';

/**
 * Subsidy access policies (budgets): who may spend a subsidy on what, and redemption through
 * them — can-redeem, redeem, credits available, forced redemption, attempts.
 */
export { getPolicyRow, lockPolicyForAllocation, policyOfAssignmentConfiguration } from './allocation.js';
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
export { checkFieldConstraints as checkPolicyFieldConstraints } from './policy.rules.js';
export { type CreatePolicyBody, createPolicyBody } from './policy.schemas.js';
export { type PolicyModelView, policyModelView } from './policy-model.view.js';
export type { PolicyRow, PolicyType } from './schema.js';

export const accessModule: CampusModule = { name: 'access', prefix: '/access', routes: accessRoutes };
