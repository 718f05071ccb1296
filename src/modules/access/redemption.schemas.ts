import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';
import { contentMetadataOut, coursePartnerOut } from '../catalog/index.js';

/** An Open edX course key (`edX+DemoX`) or course run key (`course-v1:edX+DemoX+2T2024`). */
export const contentKey = z
  .string()
  .max(255)
  .refine((k) => /^course-v1:[^+\s/]+\+[^+\s/]+\+[^+\s/]+$/.test(k) || /^[^+\s/:]+\+[^+\s/:]+$/.test(k), {
    error: (issue) => `Invalid content_key: ${String(issue.input)}`,
  });

/**
 * Redemption metadata (docs/decisions/0005-redemption-metadata.md): a small flat object stored on
 * the transaction. The keys the portals send for executive education are checked for their types;
 * others must be scalars.
 */
export const redemptionMetadata = z
  .object({
    geag_first_name: z.string().max(255).optional(),
    geag_last_name: z.string().max(255).optional(),
    geag_email: z.email().optional(),
    geag_date_of_birth: z.iso.date().optional(),
    geag_terms_accepted_at: z.iso.datetime({ offset: true }).optional(),
    geag_data_share_consent: z.boolean().optional(),
  })
  .catchall(z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 30 && Object.keys(m).every((k) => k.length <= 64), {
    error: 'metadata may have at most 30 keys of at most 64 characters',
  });

export const redeemBody = z
  .object({
    lms_user_id: z.number().int().min(0).optional(),
    content_key: contentKey,
    metadata: redemptionMetadata.nullable().optional(),
  })
  .strict();

export const forceRedeemBody = z
  .object({
    lms_user_id: z.number().int().min(0),
    content_key: contentKey,
    reason: z.string().trim().min(3).max(1000),
    content_price_cents: z.number().int().min(0).nullable().optional(),
    metadata: redemptionMetadata.nullable().optional(),
  })
  .strict();

export const canRedeemQuery = z.object({
  content_key: z
    .union([contentKey, z.array(contentKey)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(contentKey).min(1).max(100)),
  lms_user_id: z.coerce.number().int().min(0).optional(),
});

export const creditsAvailableQuery = z.object({
  enterprise_customer_uuid: z.uuid(),
  lms_user_id: z.coerce.number().int().min(0).optional(),
});

export const attemptsQuery = paginationQuery.extend({
  lms_user_id: z.coerce.number().int().min(0).optional(),
  outcome: z.enum(['redeemed', 'existing', 'refused', 'error']).optional(),
});

export const policyParam = z.object({ policy_uuid: z.uuid() });
export const customerParam = z.object({ enterprise_customer_uuid: z.uuid() });

const adminContact = z.object({ email: z.string(), lms_user_id: z.number().int().nullable() });
export const reasonObject = z.object({
  reason: z.string(),
  user_message: z.string().nullable(),
  metadata: z.object({ enterprise_administrators: z.array(adminContact) }),
  policy_uuids: z.array(z.uuid()),
});

export const policyModel = z.object({
  uuid: z.uuid(),
  policy_type: z.string(),
  enterprise_customer_uuid: z.uuid(),
  display_name: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
  retired: z.boolean(),
  retired_at: z.string().nullable(),
  catalog_uuid: z.uuid(),
  subsidy_uuid: z.uuid(),
  access_method: z.string(),
  spend_limit: z.number().int().nullable(),
  per_learner_enrollment_limit: z.number().int().nullable(),
  per_learner_spend_limit: z.number().int().nullable(),
  late_redemption_allowed_until: z.string().nullable(),
  assignment_configuration: z.string().nullable(),
  learner_credit_request_config: z.string().nullable(),
  policy_redemption_url: z.string(),
  is_late_redemption_allowed: z.boolean(),
});

export const creditAvailable = policyModel.extend({
  remaining_balance_per_user: z.number().int().nullable(),
  remaining_balance: z.number().int(),
  spend_available_usd_cents: z
    .number()
    .int()
    .describe(
      "Campus: what the policy can still spend (its limit left, less allocations, within the subsidy's balance)",
    ),
  subsidy_expiration_date: z.string().nullable(),
  // Declared here by the fields the learner portal's cards and Campus's learner page read (the full shapes are the
  // assignments' and requests' own views; requests depends on access, not the other way round).
  learner_content_assignments: z.array(
    z.looseObject({
      uuid: z.uuid(),
      assignment_configuration: z.uuid(),
      state: z.string(),
      content_key: z.string(),
      parent_content_key: z.string().nullable(),
      content_title: z.string().nullable(),
      learner_acknowledged: z.boolean(),
      earliest_possible_expiration: z.object({ date: z.string(), reason: z.string() }),
      content_metadata: contentMetadataOut.nullable(),
    }),
  ),
  learner_requests: z.array(
    z.looseObject({
      uuid: z.uuid(),
      course_id: z.string(),
      course_title: z.string().nullable(),
      state: z.string(),
      course_partners: z.array(coursePartnerOut),
    }),
  ),
  group_associations: z.array(z.uuid()),
});

export const attemptView = z.object({
  uuid: z.uuid(),
  policy_uuid: z.uuid(),
  lms_user_id: z.number().int(),
  content_key: z.string(),
  outcome: z.string(),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  transaction_uuid: z.string().nullable(),
  forced: z.boolean(),
  requested_by_lms_user_id: z.number().int().nullable(),
  created: z.string(),
});
