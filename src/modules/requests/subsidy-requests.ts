import type { AppContext } from '../../context.js';
import { BusinessRule } from '../../shared/errors.js';
import { canonicalUuid, type Principal } from '../../shared/principal.js';
import { requireMember, requireRequestsAdmin } from './authorize.js';
import * as configs from './customer-configurations.repository.js';
import type { LegacySubsidyType } from './subsidy-requests.schemas.js';

/*
 * License and coupon code requests. Campus keeps no subscription licenses (license-manager) and no
 * coupon codes (ecommerce), so no such request can exist: every read answers as enterprise-access
 * does for a customer that has none, and every write is refused with the reason, never a 404.
 * Authorization is that of learner credit requests: members of the enterprise read (a learner sees
 * only their own requests, of which there are none), its admins and operators review.
 */

const NAMES: Record<LegacySubsidyType, string> = { license: 'subscription licenses', coupon: 'coupon codes' };

/** The list: empty for every caller; naming an enterprise requires belonging to it. */
export async function listSubsidyRequests(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid?: string },
): Promise<{ count: number; results: never[] }> {
  if (input.enterpriseCustomerUuid) {
    await requireMember(ctx.db.kysely, actor, canonicalUuid(input.enterpriseCustomerUuid));
  }
  return { count: 0, results: [] };
}

/** Counts by state of the enterprise's requests (admins and operators): none. */
export function subsidyRequestsOverview(
  actor: Principal,
  input: { enterpriseCustomerUuid: string },
): Array<{ state: never; count: number }> {
  requireRequestsAdmin(actor, canonicalUuid(input.enterpriseCustomerUuid));
  return [];
}

/**
 * A learner asks for a license or a coupon code. The reference's checks of the customer
 * configuration come first, with its sentences (422 each); a configuration that does ask for this
 * kind is still refused, because Campus has no licenses or codes to approve the request with.
 */
export async function createSubsidyRequest(
  ctx: AppContext,
  actor: Principal,
  input: { type: LegacySubsidyType; enterpriseCustomerUuid: string; courseId: string },
): Promise<never> {
  const customer = canonicalUuid(input.enterpriseCustomerUuid);
  await requireMember(ctx.db.kysely, actor, customer);
  const config = await configs.get(ctx.db.kysely, customer);
  if (!config) {
    throw new BusinessRule(
      'customer_configuration_not_found',
      `Customer configuration for enterprise: ${customer} does not exist.`,
    );
  }
  if (!config.subsidy_requests_enabled) {
    throw new BusinessRule(
      'subsidy_requests_disabled',
      `Subsidy requests for enterprise: ${customer} are disabled.`,
    );
  }
  if (!config.subsidy_type) {
    throw new BusinessRule(
      'subsidy_type_not_set',
      `Subsidy request type for enterprise: ${customer} has not been set up.`,
    );
  }
  if (config.subsidy_type !== input.type) {
    throw new BusinessRule('subsidy_type_mismatch', `Subsidy request type must be ${config.subsidy_type}`);
  }
  throw new BusinessRule(
    `${input.type}_requests_unsupported`,
    `Campus has no ${NAMES[input.type]} to fulfil a request with; ask the enterprise's admins to set up browse & request for learner credit instead.`,
  );
}

/**
 * Approving needs unassigned licenses in the plan (codes in the coupon); a customer without any
 * has none, so the reference's 422 answers, with its sentence.
 */
export function approveSubsidyRequests(
  actor: Principal,
  input:
    | { type: 'license'; enterpriseCustomerUuid: string; subscriptionPlanUuid: string }
    | { type: 'coupon'; enterpriseCustomerUuid: string; couponId: string | number },
): never {
  requireRequestsAdmin(actor, canonicalUuid(input.enterpriseCustomerUuid));
  if (input.type === 'license') {
    throw new BusinessRule(
      'not_enough_licenses',
      `Not enough licenses available for subscription ${input.subscriptionPlanUuid} to approve the requests`,
    );
  }
  throw new BusinessRule(
    'not_enough_codes',
    `Not enough codes available for coupon ${input.couponId} to approve the requests`,
  );
}

/** Declining declines the named requests still open; there are none, so nothing changes: `[]`. */
export function declineSubsidyRequests(actor: Principal, input: { enterpriseCustomerUuid: string }): never[] {
  requireRequestsAdmin(actor, canonicalUuid(input.enterpriseCustomerUuid));
  return [];
}
