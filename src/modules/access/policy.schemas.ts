import { z } from 'zod';
import { MAX_PAGE_SIZE, paginationQuery } from '../../http/pagination.js';
import { POLICY_TYPES } from './schema.js';

const isoDate = z.iso.datetime({ offset: true });
const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
/** Trimmed; an empty display name is no display name. */
const displayName = z
  .string()
  .max(512)
  .transform((v) => v.trim() || null)
  .nullable();
const description = z
  .string()
  .max(200)
  .transform((v) => v.trim())
  .nullable();

export const policyTypeEnum = z.enum(POLICY_TYPES);
export const accessMethodEnum = z.enum(['direct', 'request', 'assigned']);

export const uuidParam = z.object({ uuid: z.uuid() });
export const groupAssociationParams = z.object({ enterprise_uuid: z.uuid(), group_uuid: z.uuid() });

/** A customer's whole policy list fits on its first page: the admin portal reads no other. */
export const policyListQuery = paginationQuery.extend({
  enterprise_customer_uuid: z.uuid({
    error: (issue) =>
      issue.input === undefined
        ? 'enterprise_customer_uuid is required: the customer whose policies to list.'
        : 'enterprise_customer_uuid must be a uuid.',
  }),
  active: boolish.optional(),
  policy_type: policyTypeEnum.optional(),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
});
export type PolicyListQuery = z.infer<typeof policyListQuery>;

export const createPolicyBody = z
  .object({
    policy_type: policyTypeEnum,
    enterprise_customer_uuid: z.uuid(),
    catalog_uuid: z.uuid(),
    subsidy_uuid: z.uuid(),
    access_method: accessMethodEnum,
    display_name: displayName.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
    retired: z.boolean().nullable().optional(),
    retired_at: isoDate.nullable().optional(),
    spend_limit: cents.nullable().optional(),
    per_learner_enrollment_limit: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
    per_learner_spend_limit: cents.nullable().optional(),
    late_redemption_allowed_until: isoDate.nullable().optional(),
    group_associations: z.array(z.uuid()).max(100).optional(),
    // Computed from the subsidy: accepted as the reference's clients send them, and ignored.
    subsidy_active_datetime: isoDate.nullable().optional(),
    subsidy_expiration_datetime: isoDate.nullable().optional(),
    is_subsidy_active: z.boolean().nullable().optional(),
  })
  .strict();
export type CreatePolicyBody = z.infer<typeof createPolicyBody>;

/** The fields a PUT/PATCH may carry, as in enterprise-access, plus Campus's `group_associations`. */
export const UPDATABLE_FIELDS = [
  'display_name',
  'description',
  'active',
  'retired',
  'retired_at',
  'catalog_uuid',
  'subsidy_uuid',
  'access_method',
  'spend_limit',
  'per_learner_spend_limit',
  'per_learner_enrollment_limit',
  'subsidy_active_datetime',
  'subsidy_expiration_datetime',
  'is_subsidy_active',
  'late_redemption_allowed_until',
  'group_associations',
  'bnr_enabled',
] as const;

/**
 * Not `.strict()`: any other key is answered by the service with the reference's
 * "Field(s) are not updatable: ..." 400, which names all of them at once.
 */
export const updatePolicyBody = z
  .object({
    display_name: displayName,
    description: description,
    active: z.boolean(),
    retired: z.boolean().nullable(),
    retired_at: isoDate.nullable(),
    catalog_uuid: z.uuid(),
    subsidy_uuid: z.uuid(),
    access_method: accessMethodEnum,
    spend_limit: cents.nullable(),
    per_learner_spend_limit: cents.nullable(),
    per_learner_enrollment_limit: z.number().int().min(0).max(2_147_483_647).nullable(),
    subsidy_active_datetime: isoDate.nullable(),
    subsidy_expiration_datetime: isoDate.nullable(),
    is_subsidy_active: z.boolean().nullable(),
    late_redemption_allowed_until: isoDate.nullable(),
    group_associations: z.array(z.uuid()).max(100),
    bnr_enabled: z.boolean(),
  })
  .partial()
  .catchall(z.unknown());
export type UpdatePolicyBody = z.infer<typeof updatePolicyBody>;

export const deletePolicyBody = z
  .object({ reason: z.string().max(1000).nullable().optional() })
  .strict()
  .nullable()
  .optional();

export const depositFundsBody = z
  .object({
    desired_deposit_quantity_cents: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    sales_contract_reference_id: z.string().trim().min(1).max(255),
    sales_contract_reference_provider: z.string().min(1).max(32).default('salesforce_opportunity_line_item'),
    idempotency_key: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(
        'What makes a retry the same deposit: the same key with the same amount and contract returns the first deposit and raises the limit once (200); with another amount or contract it is refused (409 idempotency_key_conflict). Without a key every call is a new deposit that raises the limit again.',
      ),
  })
  .strict();
export type DepositFundsBody = z.infer<typeof depositFundsBody>;

const money = z.number().min(0);
const moneyCents = z.number().int().min(0);

export const policyView = z.object({
  uuid: z.uuid(),
  policy_type: policyTypeEnum,
  display_name: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
  retired: z.boolean(),
  retired_at: z.string().nullable(),
  enterprise_customer_uuid: z.uuid(),
  catalog_uuid: z.uuid(),
  subsidy_uuid: z.uuid(),
  access_method: accessMethodEnum,
  per_learner_enrollment_limit: z.number().int().nullable(),
  per_learner_spend_limit: z.number().int().nullable(),
  spend_limit: z.number().int().nullable(),
  subsidy_active_datetime: z.string().nullable(),
  subsidy_expiration_datetime: z.string().nullable(),
  is_subsidy_active: z.boolean(),
  aggregates: z.object({
    amount_redeemed_usd_cents: moneyCents,
    amount_redeemed_usd: money,
    amount_allocated_usd_cents: moneyCents,
    amount_allocated_usd: money,
    spend_available_usd_cents: moneyCents,
    spend_available_usd: money,
  }),
  assignment_configuration: z.object({ uuid: z.uuid() }).nullable(),
  group_associations: z.array(z.uuid()),
  late_redemption_allowed_until: z.string().nullable(),
  is_late_redemption_allowed: z.boolean(),
  created: z.string(),
  bnr_enabled: z.boolean(),
  total_spend_limits_for_subsidy: z.number().int(),
  total_deposits_for_subsidy: z.number().int(),
  policy_redemption_url: z.string(),
});
export type PolicyView = z.infer<typeof policyView>;

export const depositFundsView = z.object({
  deposit: z.object({
    uuid: z.uuid(),
    ledger: z.uuid(),
    desired_deposit_quantity: z.number().int(),
    transaction: z.uuid(),
    sales_contract_reference_id: z.string().nullable(),
    sales_contract_reference_provider: z.string().nullable(),
  }),
  policy: policyView,
});

export const GROUP_MEMBER_SORTS = ['member_details', 'status', 'recent_action', 'enrollment_count'] as const;

const emails = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase()),
  )
  .transform((v) => v.filter(Boolean));

export const groupMembersQuery = z.object({
  group_uuid: z.uuid().optional(),
  user_query: z.string().max(320).optional(),
  sort_by: z.enum(GROUP_MEMBER_SORTS).optional(),
  is_reversed: boolish.default(false),
  show_removed: boolish.default(false),
  format_csv: boolish.default(false),
  traverse_pagination: boolish.default(false),
  learners: emails.optional(),
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10),
});
export type GroupMembersQuery = z.infer<typeof groupMembersQuery>;

export const groupMemberView = z.object({
  enterprise_customer_user_id: z.number().int().nullable(),
  lms_user_id: z.number().int().nullable(),
  pending_enterprise_customer_user_id: z.number().int().nullable(),
  enterprise_group_membership_uuid: z.string().nullable(),
  member_details: z.object({ user_email: z.string().nullable(), user_name: z.string().nullable() }),
  recent_action: z.string(),
  status: z.enum(['accepted', 'pending', 'removed']),
  activated_at: z.string().nullable(),
  enrollment_count: z.number().int(),
});
export type GroupMemberView = z.infer<typeof groupMemberView>;
