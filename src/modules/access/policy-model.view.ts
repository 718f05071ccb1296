import type { PolicyRow } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Where the learner portal posts a redemption through this policy. */
export const policyRedemptionUrl = (origin: string, policyUuid: string) =>
  `${origin}/access/api/v1/policy-redemption/${policyUuid}/redeem/`;

/**
 * A policy as can-redeem and credits_available show it: its stored fields (not created/modified),
 * the absolute URL to redeem through it, and whether late redemption is open now.
 */
export function policyModelView(p: PolicyRow, origin: string, now: Date) {
  return {
    uuid: p.uuid,
    policy_type: p.policy_type,
    enterprise_customer_uuid: p.enterprise_customer_uuid,
    display_name: p.display_name,
    description: p.description,
    active: p.active,
    retired: p.retired,
    retired_at: iso(p.retired_at),
    catalog_uuid: p.catalog_uuid,
    subsidy_uuid: p.subsidy_uuid,
    access_method: p.access_method,
    spend_limit: p.spend_limit,
    per_learner_enrollment_limit: p.per_learner_enrollment_limit,
    per_learner_spend_limit: p.per_learner_spend_limit,
    late_redemption_allowed_until: iso(p.late_redemption_allowed_until),
    assignment_configuration: p.assignment_configuration_uuid,
    learner_credit_request_config: p.learner_credit_request_config_uuid,
    policy_redemption_url: policyRedemptionUrl(origin, p.uuid),
    is_late_redemption_allowed:
      p.late_redemption_allowed_until !== null && now < p.late_redemption_allowed_until,
  };
}
export type PolicyModelView = ReturnType<typeof policyModelView>;
