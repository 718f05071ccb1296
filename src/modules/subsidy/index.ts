import type { CampusModule } from '../../http/module.js';
import { enrollmentRoutes } from './enrollment.routes.js';
import { subsidyRoutes } from './routes.js';

export { type AdminDepositInput, depositInTransaction } from './admin-deposit.js';
export { type CancellationReport, cancelLmsFulfillments } from './cancel-lms-fulfillments.js';
/**
 * Learner-credit subsidies over ledgers, and their fulfilment: enrollments paid by redemptions,
 * refunds by reversal. The access module redeems through `redeemInTransaction`.
 */
export { type CreateSubsidyInput, getOrCreateSubsidy } from './create-subsidy.js';
export { getOrCreateSubsidyByReference } from './get-or-create-by-reference.js';
export { getInitialDeposit, type InitialDeposit } from './initial-deposit.js';
export { enrollmentsOfLearnerInEnterprise } from './learner-enrollments.js';
export { type Fulfillment, fulfillThroughLms, pendingRedemption } from './lms-fulfillment.js';
export { getSubsidyRow, getSubsidyRows } from './read-subsidies.js';
export { findLiveRedemption, type RedeemInput, type Redemption, redeemInTransaction } from './redeem.js';
export { type BatchHandle, RedemptionBatch } from './redemption-batch.js';
export { isRefundable, REFUND_WINDOW_DAYS } from './refund.js';
export type { EnrollmentRow, SubsidyRow } from './schema.js';
export { isActive as isSubsidyActive } from './subsidy.access.js';
export { transactionView as transactionViewSchema } from './subsidy.schemas.js';
export { syncLmsUnenrollments, type UnenrollmentSyncReport } from './sync-lms-unenrollments.js';
export { type Links as TransactionLinks, transactionView } from './views.js';

export const subsidyModule: CampusModule = { name: 'subsidy', prefix: '/subsidy', routes: subsidyRoutes };
/** The enrollment endpoints live under the enterprise prefix, where the LMS has them. */
export const subsidyEnrollmentModule: CampusModule = {
  name: 'subsidy-enrollments',
  prefix: '/enterprise',
  routes: enrollmentRoutes,
};
