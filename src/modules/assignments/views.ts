import { centsToDollars } from '../../shared/money.js';
import type { ContentMetadata } from '../catalog/index.js';
import type { AnnotatedRow } from './admin-list.repository.js';
import { deadlineKey, type ViewFacts } from './facts.js';
import type { ActionRow, AssignmentRow, ConfigurationRow } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function configurationView(c: ConfigurationRow, policyUuid: string | null) {
  return {
    uuid: c.uuid,
    subsidy_access_policy: policyUuid,
    enterprise_customer_uuid: c.enterprise_customer_uuid,
    active: c.active,
    created: c.created.toISOString(),
    modified: c.modified.toISOString(),
  };
}
export type ConfigurationView = ReturnType<typeof configurationView>;

export function actionView(a: ActionRow) {
  return {
    uuid: a.uuid,
    action_type: a.action_type,
    completed_at: iso(a.completed_at),
    error_reason: a.error_reason,
    created: a.created.toISOString(),
    modified: a.modified.toISOString(),
  };
}

export function assignmentView(a: AssignmentRow, facts: ViewFacts) {
  const expiration = facts.expirations.get(a.uuid);
  return {
    uuid: a.uuid,
    assignment_configuration: a.assignment_configuration_uuid,
    learner_email: a.learner_email,
    lms_user_id: a.lms_user_id,
    content_key: a.content_key,
    parent_content_key: a.parent_content_key,
    is_assigned_course_run: a.is_assigned_course_run,
    content_title: a.content_title,
    content_quantity: a.content_quantity,
    preferred_course_run_key: a.preferred_course_run_key,
    state: a.state,
    allocated_at: a.allocated_at.toISOString(),
    accepted_at: iso(a.accepted_at),
    cancelled_at: iso(a.cancelled_at),
    expired_at: iso(a.expired_at),
    errored_at: iso(a.errored_at),
    reversed_at: iso(a.reversed_at),
    transaction_uuid: a.transaction_uuid,
    allocation_batch_id: a.allocation_batch_id,
    admin_lms_user_id: a.admin_lms_user_id,
    learner_acknowledged: a.learner_acknowledged,
    actions: (facts.actions.get(a.uuid) ?? []).map(actionView),
    earliest_possible_expiration: expiration
      ? { date: expiration.date.toISOString(), reason: expiration.reason }
      : { date: a.allocated_at.toISOString(), reason: 'NINETY_DAYS_PASSED' as const },
    created: a.created.toISOString(),
    modified: a.modified.toISOString(),
  };
}
export type AssignmentView = ReturnType<typeof assignmentView>;

/**
 * enterprise-access's content_metadata of an assignment: the preferred run's dates and price (the
 * advertised run's for a course assignment without one), the course type and partners; null when
 * the catalog does not know the content. The learner portal's dashboard cards read it.
 */
export function contentMetadataView(m: ContentMetadata | null | undefined) {
  if (!m) return null;
  return {
    start_date: iso(m.start),
    end_date: iso(m.end),
    enroll_by_date: iso(m.enrollBy),
    /** Dollars, as enterprise-access has it; cents beside it. */
    content_price: m.priceCents === null ? null : centsToDollars(m.priceCents),
    content_price_cents: m.priceCents,
    course_type: m.courseType,
    partners: m.partners,
  };
}

/** The learner's view (their own list, credits_available): the base view plus content_metadata. */
export function learnerAssignmentView(a: AssignmentRow, facts: ViewFacts) {
  return {
    ...assignmentView(a, facts),
    content_metadata: contentMetadataView(facts.content?.get(deadlineKey(a))),
  };
}
export type LearnerAssignmentView = ReturnType<typeof learnerAssignmentView>;

/** The admin row: the base view plus recent_action, learner_state and error_reason. */
export function adminAssignmentView(a: AnnotatedRow, facts: ViewFacts) {
  const reminded = a.last_reminded_at !== null && a.last_reminded_at.getTime() > a.allocated_at.getTime();
  const failedAction =
    a.state === 'allocated' || a.state === 'errored'
      ? [...(facts.actions.get(a.uuid) ?? [])].reverse().find((x) => x.error_reason !== null)
      : undefined;
  return {
    ...assignmentView(a, facts),
    learner_state: a.learner_state,
    recent_action: {
      action_type: reminded ? ('reminded' as const) : ('assigned' as const),
      timestamp: (reminded ? (a.last_reminded_at as Date) : a.allocated_at).toISOString(),
    },
    error_reason: failedAction
      ? { action_type: failedAction.action_type, error_reason: failedAction.error_reason }
      : null,
  };
}
export type AdminAssignmentView = ReturnType<typeof adminAssignmentView>;
