import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';
import { REQUEST_STATES } from './schema.js';

/*
 * License and coupon code requests (the browse & request of subscriptions and coupons). Campus has
 * no subscription licenses and no coupon codes, so these endpoints answer as enterprise-access does
 * for a customer that has none: empty lists, an empty overview, and refusals for the writes.
 */

/** The two legacy subsidy kinds, named as in their paths' serializers. */
export const LEGACY_SUBSIDY_TYPES = ['license', 'coupon'] as const;
export type LegacySubsidyType = (typeof LEGACY_SUBSIDY_TYPES)[number];

/** `a,b` (and repeated parameters) → ['a', 'b']. */
const commaList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

/** The reference filterset: uuid, user__email, course_id, enterprise_customer_uuid, state, search. */
export const subsidyRequestListQuery = paginationQuery.extend({
  uuid: z.uuid().optional(),
  user__email: z.string().max(320).optional(),
  course_id: z.string().max(255).optional(),
  enterprise_customer_uuid: z.uuid().optional(),
  state: commaList.optional(),
  search: z.string().max(320).optional(),
  ordering: z.string().max(500).optional(),
});

export const subsidyRequestOverviewQuery = z.object({
  enterprise_customer_uuid: z.uuid({
    error: (issue) =>
      issue.input === undefined
        ? 'enterprise_customer_uuid query param is required'
        : 'enterprise_customer_uuid must be a uuid.',
  }),
  search: z.string().max(320).optional(),
});

export const createSubsidyRequestBody = z
  .object({
    enterprise_customer_uuid: z.uuid(),
    course_id: z.string().trim().min(1).max(255),
  })
  .strict();

const requestUuids = z.array(z.uuid()).min(1).max(500);

export const approveLicenseRequestsBody = z
  .object({
    subsidy_request_uuids: requestUuids,
    subscription_plan_uuid: z.uuid(),
    enterprise_customer_uuid: z.uuid(),
    send_notification: z.boolean().optional(),
  })
  .strict();

export const approveCouponCodeRequestsBody = z
  .object({
    subsidy_request_uuids: requestUuids,
    coupon_id: z.union([z.number().int().min(1), z.string().regex(/^\d{1,18}$/)]),
    enterprise_customer_uuid: z.uuid(),
    send_notification: z.boolean().optional(),
  })
  .strict();

export const declineSubsidyRequestsBody = z
  .object({
    subsidy_request_uuids: requestUuids,
    enterprise_customer_uuid: z.uuid(),
    send_notification: z.boolean().optional(),
    unlink_users_from_enterprise: z.boolean().optional(),
  })
  .strict();

/** enterprise-access's SubsidyRequestSerializer: what the portals read of a request. */
const subsidyRequestBase = z.object({
  uuid: z.uuid(),
  lms_user_id: z.number().int(),
  email: z.string(),
  course_id: z.string(),
  course_title: z.string().nullable(),
  course_partners: z.array(z.object({ uuid: z.string().optional(), name: z.string() }).loose()),
  enterprise_customer_uuid: z.uuid(),
  state: z.enum(REQUEST_STATES),
  reviewed_at: z.string().nullable(),
  reviewer_lms_user_id: z.number().int().nullable(),
  decline_reason: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});
export const licenseRequestView = subsidyRequestBase.extend({
  subscription_plan_uuid: z.uuid().nullable(),
  license_uuid: z.uuid().nullable(),
});
export const couponCodeRequestView = subsidyRequestBase.extend({
  coupon_id: z.number().int().nullable(),
  coupon_code: z.string().nullable(),
});

export const subsidyRequestOverviewView = z.array(
  z.object({ state: z.enum(REQUEST_STATES), count: z.number().int() }),
);
