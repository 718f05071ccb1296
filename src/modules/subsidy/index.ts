import type { CampusModule } from '../../http/module.js';
import { enrollmentRoutes } from './enrollment.routes.js';
import { subsidyRoutes } from './routes.js';

export { type CreateSubsidyInput, getOrCreateSubsidy } from './create-subsidy.js';
export { getSubsidyRow } from './read-subsidies.js';
export { type RedeemInput, type Redemption, redeemInTransaction } from './redeem.js';
/**
 * Learner-credit subsidies over ledgers, and their fulfilment: enrollments paid by redemptions,
 * refunds by reversal. The access module redeems through `redeemInTransaction`.
 */
export { isRefundable, REFUND_WINDOW_DAYS } from './refund.js';
export type { EnrollmentRow, SubsidyRow } from './schema.js';
export { isActive as isSubsidyActive } from './subsidy.access.js';

export const subsidyModule: CampusModule = { name: 'subsidy', prefix: '/subsidy', routes: subsidyRoutes };
/** The enrollment endpoints live under the enterprise prefix, where the LMS has them. */
export const subsidyEnrollmentModule: CampusModule = {
  name: 'subsidy-enrollments',
  prefix: '/enterprise',
  routes: enrollmentRoutes,
};
