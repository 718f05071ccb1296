import type { CampusModule } from '../../http/module.js';
import { onEmailOutcome } from '../notifications/index.js';
import { EMAIL_ACTION_REF, recordAssignmentEmailOutcome } from './email-outcomes.js';
import { assignmentsRoutes } from './routes.js';

/** Assignments' part of the wiring (src/wiring.ts): email outcomes recorded on their actions. */
export function wireAssignments(): void {
  onEmailOutcome(EMAIL_ACTION_REF, recordAssignmentEmailOutcome);
}

export {
  type AllocateInput,
  type AllocateOptions,
  type AllocateResult,
  allocateInTransaction,
  dedupeEmails,
  PRICE_BOUNDS,
} from './allocate.js';
/**
 * Assigned learner credit: assignment configurations, learner content assignments and their
 * actions, allocation through a policy, admin cancel/remind, the learner's own assignments.
 * The access module calls the functions below while creating policies, redeeming and listing credits.
 */
export { cancelAssignmentsInTransaction } from './cancel.js';
export { ensureAssignmentConfiguration } from './configurations.js';
export { type Expiration, type ExpirationReason, earliestPossibleExpiration } from './expiration.js';
export { type ExpiryReport, expireAssignments } from './expire.js';
export {
  acceptAssignment,
  allocatedCentsOfConfigurations,
  assignmentForContent,
  assignmentsByUuids,
  assignmentsForContents,
  learnerAssignmentsForCredits,
  markAssignmentErrored,
  markRedemptionRefused,
} from './lifecycle.js';
export { type NudgeReport, nudgeAcceptedAssignments } from './nudge.js';
export { type AssignmentPolicies, type AssignmentPolicy, provideAssignmentPolicies } from './policies.js';
export { type ReversalSyncReport, syncReversedAssignments } from './reversed.js';
export type { AssignmentRow, AssignmentState } from './schema.js';
export {
  type AssignmentTransition,
  type AssignmentTransitionListener,
  onAssignmentTransition,
} from './transitions.js';
export { stateCountMismatches } from './verify-counts.js';
export type { AssignmentView, LearnerAssignmentView } from './views.js';

export const assignmentsModule: CampusModule = {
  name: 'assignments',
  prefix: '/access',
  routes: assignmentsRoutes,
};
