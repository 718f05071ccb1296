import type { CampusModule } from '../../http/module.js';
import { bffRoutes } from './routes.js';

/**
 * The learner portal's backend-for-frontend (enterprise-access's bffs app): one POST per page that
 * gathers the customer, the caller's memberships, subsidies and (dashboard) enrollments from the
 * other modules in a bounded number of statements. Owns no tables.
 */
export { learnerBase, learnerDashboard } from './learner-portal.js';

export const bffModule: CampusModule = { name: 'bff', prefix: '/access', routes: bffRoutes };
