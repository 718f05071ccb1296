import type { CampusModule } from '../../http/module.js';
import { enterpriseRoutes } from './routes.js';

/**
 * The enterprise core: customers, learners (local user records), memberships (and invitations by
 * email), admins, enterprise catalogs (content filters over the catalog) and groups.
 * Reads for other modules take an executor and no actor: the caller has authorized its request.
 */

export { addPendingAdmins, type EnterpriseDeps } from './add-pending-admins.js';
export {
  catalogContains,
  catalogsContain,
  customerCatalogsContaining,
  customerContains,
} from './contains.js';
export { validateContentFilter } from './content-filter.js';
export { catalogUuidsOfCustomers, customersOfLearner, type LearnerCustomer } from './customers-of-learner.js';
export { deactivateMembership } from './deactivate-membership.js';
export { getOrCreateCatalog } from './get-or-create-catalog.js';
export { getOrCreateCustomer } from './get-or-create-customer.js';
export type { GroupMemberView } from './groups.js';
export { type LinkMode, linkableLearners, linkLearnersByEmail, linkModeOf } from './link-by-email.js';
export {
  activeMembersAmong,
  adminContactsOfCustomers,
  getEnterpriseCatalog,
  getEnterpriseCustomer,
  getEnterpriseCustomerBySlug,
  getEnterpriseGroup,
  getLearner,
  getLearners,
  groupMembers,
  groupsOfLearner,
  groupUuidsOfLearners,
  isActiveMember,
  isGroupMember,
  listAdminContacts,
} from './reads.js';
export { rememberUser } from './remember-user.js';
export type { EnterpriseCatalogRow, EnterpriseCustomer, GroupRow, Learner } from './schema.js';

export const enterpriseModule: CampusModule = {
  name: 'enterprise',
  prefix: '/enterprise',
  routes: enterpriseRoutes,
};
