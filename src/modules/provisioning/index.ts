import type { CampusModule } from '../../http/module.js';
import { provisioningRoutes } from './routes.js';

/**
 * One-call provisioning of a new enterprise customer (docs/decisions/0008-provisioning-as-a-workflow.md)
 * on the workflow engine: the customer, its pending admins, an enterprise catalog, a subsidy with
 * its initial deposit, access policies, and welcome emails to the new admins. Idempotent by slug
 * and resumable after a failure.
 */
export { type ProvisionOptions, provisionCustomer, resumeProvisioning } from './provision.js';
export { type ProvisioningBody, type ProvisioningView, provisioningBody } from './provisioning.schemas.js';

export const provisioningModule: CampusModule = {
  name: 'provisioning',
  prefix: '/access',
  routes: provisioningRoutes,
};
