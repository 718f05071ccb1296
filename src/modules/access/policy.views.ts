import { centsToDollars } from '../../shared/money.js';
import { bnrEnabled } from './bnr.js';
import type { PolicyView } from './policy.schemas.js';
import type { PolicyRow } from './schema.js';
import type { PolicySpend } from './spend.js';

/** What a policy's JSON needs beside its row, read once per request for a whole page. */
export interface PolicyContext {
  spend: PolicySpend;
  groups: string[];
  /** Sum of the spend limits of the subsidy's active policies (null limits count 0). */
  totalSpendLimitsForSubsidy: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The absolute URL a learner portal posts a redemption to. */
export const policyRedemptionUrl = (origin: string, uuid: string) =>
  `${origin}/access/api/v1/policy-redemption/${uuid}/redeem/`;

/** The policy JSON as enterprise-access answers it, with Campus's `policy_redemption_url`. */
export function policyView(p: PolicyRow, c: PolicyContext, origin: string, now: Date): PolicyView {
  const { spend } = c;
  return {
    uuid: p.uuid,
    policy_type: p.policy_type,
    display_name: p.display_name,
    description: p.description,
    active: p.active,
    retired: p.retired,
    retired_at: iso(p.retired_at),
    enterprise_customer_uuid: p.enterprise_customer_uuid,
    catalog_uuid: p.catalog_uuid,
    subsidy_uuid: p.subsidy_uuid,
    access_method: p.access_method,
    per_learner_enrollment_limit: p.per_learner_enrollment_limit,
    per_learner_spend_limit: p.per_learner_spend_limit,
    spend_limit: p.spend_limit,
    subsidy_active_datetime: iso(spend.subsidy?.active_datetime ?? null),
    subsidy_expiration_datetime: iso(spend.subsidy?.expiration_datetime ?? null),
    is_subsidy_active: spend.isSubsidyActive,
    aggregates: {
      amount_redeemed_usd_cents: spend.redeemed,
      amount_redeemed_usd: centsToDollars(spend.redeemed),
      amount_allocated_usd_cents: spend.allocated,
      amount_allocated_usd: centsToDollars(spend.allocated),
      spend_available_usd_cents: spend.available,
      spend_available_usd: centsToDollars(spend.available),
    },
    // The admin portal reads the configuration nested as {uuid}.
    assignment_configuration: p.assignment_configuration_uuid
      ? { uuid: p.assignment_configuration_uuid }
      : null,
    group_associations: c.groups,
    late_redemption_allowed_until: iso(p.late_redemption_allowed_until),
    is_late_redemption_allowed:
      p.late_redemption_allowed_until !== null && now.getTime() < p.late_redemption_allowed_until.getTime(),
    created: p.created.toISOString(),
    bnr_enabled: bnrEnabled(p),
    total_spend_limits_for_subsidy: c.totalSpendLimitsForSubsidy,
    total_deposits_for_subsidy: spend.totalDeposits,
    policy_redemption_url: policyRedemptionUrl(origin, p.uuid),
  };
}
