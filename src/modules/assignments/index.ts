import type { CampusModule } from '../../http/module.js';
import { assignmentsRoutes } from './routes.js';

/**
 * Assigned learner credit: assignment configurations, learner content assignments and their
 * actions, allocation through a policy, admin cancel/remind, the learner's own assignments.
 * The access module calls the functions below while creating policies, redeeming and listing credits.
 */
export { ensureAssignmentConfiguration } from './configurations.js';
export { type Expiration, type ExpirationReason, earliestPossibleExpiration } from './expiration.js';
export { type ExpiryReport, expireAssignments } from './expire.js';
export {
  acceptAssignment,
  allocatedCentsOfConfigurations,
  assignmentForContent,
  learnerAssignmentsForCredits,
  markAssignmentErrored,
} from './lifecycle.js';
export { type NudgeReport, nudgeAcceptedAssignments } from './nudge.js';
export { type ReversalSyncReport, syncReversedAssignments } from './reversed.js';
export type { AssignmentRow, AssignmentState } from './schema.js';
export type { AssignmentView } from './views.js';

export const assignmentsModule: CampusModule = {
  name: 'assignments',
  prefix: '/access',
  routes: assignmentsRoutes,
};
