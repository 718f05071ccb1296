import type { CampusModule } from '../../http/module.js';
import { accessRoutes } from './routes.js';

/**
 * Subsidy access policies (budgets): who may spend a subsidy on what, and redemption through
 * them — can-redeem, redeem, credits available, forced redemption, attempts.
 */
export { getPolicyRow, lockPolicyForAllocation, policyOfAssignmentConfiguration } from './allocation.js';
export type { PolicyRow, PolicyType } from './schema.js';

export const accessModule: CampusModule = { name: 'access', prefix: '/access', routes: accessRoutes };
