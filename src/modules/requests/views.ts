import type { CoursePartner } from '../catalog/index.js';
import type { RequestWithAction } from './requests.repository.js';
import type { CustomerConfigurationRow } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A learner credit request as the portals read it (reference LearnerCreditRequestSerializer).
 * `partners` are the course's partners from the catalog, shown when the row has none of its own.
 */
export function requestView(r: RequestWithAction, partners: CoursePartner[] = []) {
  return {
    uuid: r.uuid,
    lms_user_id: r.lms_user_id,
    email: r.email,
    course_id: r.course_id,
    course_title: r.course_title,
    course_partners: r.course_partners?.length ? (r.course_partners as CoursePartner[]) : partners,
    enterprise_customer_uuid: r.enterprise_customer_uuid,
    policy_uuid: r.policy_uuid,
    state: r.state,
    reviewed_at: iso(r.reviewed_at),
    reviewer_lms_user_id: r.reviewer_lms_user_id,
    decline_reason: r.decline_reason,
    created: r.created.toISOString(),
    modified: r.modified.toISOString(),
    learner_credit_request_config: r.learner_credit_request_config_uuid,
    assignment: r.assignment_uuid,
    course_price: r.course_price,
    latest_action:
      r.la_uuid && r.la_recent_action && r.la_created && r.la_modified
        ? {
            uuid: r.la_uuid,
            recent_action: r.la_recent_action,
            status: r.la_status ?? '',
            error_reason: r.la_error_reason,
            traceback: r.la_traceback,
            created: r.la_created.toISOString(),
            modified: r.la_modified.toISOString(),
          }
        : null,
    learner_request_state: r.learner_request_state,
  };
}
export type RequestView = ReturnType<typeof requestView>;

export function customerConfigurationView(c: CustomerConfigurationRow) {
  return {
    enterprise_customer_uuid: c.enterprise_customer_uuid,
    subsidy_requests_enabled: c.subsidy_requests_enabled,
    subsidy_type: c.subsidy_type,
    changed_by_lms_user_id: c.changed_by_lms_user_id,
    created: c.created.toISOString(),
    modified: c.modified.toISOString(),
  };
}
export type CustomerConfigurationView = ReturnType<typeof customerConfigurationView>;
