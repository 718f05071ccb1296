import type { Balances, TransactionWithReversal } from '../ledger/index.js';
import type { EnrollmentRow, SubsidyRow } from './schema.js';
import { isActive } from './subsidy.access.js';

/** Where absolute links in responses point: this server as the client reached it, and the LMS. */
export interface Links {
  origin: string;
  learningUrl: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function subsidyView(s: SubsidyRow, b: Balances, now: Date) {
  return {
    uuid: s.uuid,
    title: s.title,
    enterprise_customer_uuid: s.enterprise_customer_uuid,
    active_datetime: iso(s.active_datetime),
    expiration_datetime: iso(s.expiration_datetime),
    unit: s.unit,
    reference_id: s.reference_id,
    reference_type: s.reference_type,
    current_balance: b.balance,
    starting_balance: s.starting_balance_cents,
    total_deposits: b.totalDeposits,
    internal_only: s.internal_only,
    revenue_category: s.revenue_category,
    is_active: isActive(s, now),
    created: s.created.toISOString(),
    modified: s.modified.toISOString(),
  };
}

export function transactionView(t: TransactionWithReversal, unit: string, links: Links) {
  return {
    uuid: t.uuid,
    state: t.state,
    idempotency_key: t.idempotency_key,
    lms_user_id: t.lms_user_id,
    lms_user_email: t.lms_user_email,
    content_key: t.content_key,
    parent_content_key: t.parent_content_key,
    content_title: t.content_title,
    course_run_start_date: iso(t.course_run_start_date),
    quantity: t.quantity,
    unit,
    fulfillment_identifier: t.fulfillment_identifier,
    subsidy_access_policy_uuid: t.subsidy_access_policy_uuid,
    metadata: t.metadata,
    created: t.created.toISOString(),
    modified: t.modified.toISOString(),
    reversal: t.reversal
      ? {
          uuid: t.reversal.uuid,
          state: t.reversal.state,
          idempotency_key: t.reversal.idempotency_key,
          quantity: t.reversal.quantity,
          metadata: t.reversal.metadata,
          created: t.reversal.created.toISOString(),
          modified: t.reversal.modified.toISOString(),
        }
      : null,
    external_reference: [] as string[],
    transaction_status_api_url: `${links.origin}/subsidy/api/v1/transactions/${t.uuid}/`,
    courseware_url: t.content_key ? `${links.learningUrl}/course/${t.content_key}/home` : null,
  };
}

export function enrollmentView(e: EnrollmentRow) {
  return {
    uuid: e.uuid,
    lms_user_id: e.lms_user_id,
    enterprise_customer_uuid: e.enterprise_customer_uuid,
    subsidy_uuid: e.subsidy_uuid,
    transaction_uuid: e.transaction_uuid,
    course_run_key: e.course_run_key,
    course_key: e.course_key,
    mode: e.mode,
    is_active: e.is_active,
    unenrolled_at: iso(e.unenrolled_at),
    created: e.created.toISOString(),
  };
}
