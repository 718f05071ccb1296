import { z } from 'zod';
import { freeJsonObject } from '../../http/json.schemas.js';
import { paginationQuery } from '../../http/pagination.js';

const isoDate = z.iso.datetime({ offset: true });
const stateEnum = z.enum(['created', 'pending', 'committed', 'failed']);

/** `?state=committed&state=failed` or `?state=committed,failed`. */
const states = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(stateEnum))
  .optional();

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const subsidyView = z.object({
  uuid: z.uuid(),
  title: z.string().nullable(),
  enterprise_customer_uuid: z.uuid(),
  active_datetime: z.string().nullable(),
  expiration_datetime: z.string().nullable(),
  unit: z.enum(['usd_cents', 'seats']),
  reference_id: z.string().nullable(),
  reference_type: z.string(),
  current_balance: z.number().int(),
  starting_balance: z.number().int(),
  total_deposits: z.number().int(),
  internal_only: z.boolean(),
  revenue_category: z.string(),
  is_active: z.boolean(),
  created: z.string(),
  modified: z.string(),
});

export const subsidyListQuery = paginationQuery.extend({
  enterprise_customer_uuid: z.uuid().optional(),
  uuid: z.uuid().optional(),
  title: z.string().max(255).optional(),
  sort_by: z
    .enum([
      'uuid',
      '-uuid',
      'title',
      '-title',
      'created',
      '-created',
      'expiration_datetime',
      '-expiration_datetime',
    ])
    .default('uuid'),
});

export const createSubsidyBody = z
  .object({
    reference_id: z.string().min(1).max(255).nullable(),
    default_title: z.string().max(255).nullable(),
    default_enterprise_customer_uuid: z.uuid(),
    default_active_datetime: isoDate.nullable(),
    default_expiration_datetime: isoDate.nullable(),
    default_unit: z.enum(['usd_cents', 'seats']).default('usd_cents'),
    default_starting_balance: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    default_revenue_category: z
      .enum(['bulk-enrollment-prepay', 'partner-no-rev-prepay'])
      .default('bulk-enrollment-prepay'),
    default_internal_only: z.boolean().default(false),
  })
  .strict();

export const updateSubsidyBody = z
  .object({
    title: z.string().max(255).nullable(),
    active_datetime: isoDate.nullable(),
    expiration_datetime: isoDate.nullable(),
    reference_id: z.string().max(255).nullable(),
    internal_only: z.boolean(),
    revenue_category: z.enum(['bulk-enrollment-prepay', 'partner-no-rev-prepay']),
  })
  .partial()
  .strict();

export const reversalView = z.object({
  uuid: z.uuid(),
  state: z.string(),
  idempotency_key: z.string(),
  quantity: z.number().int(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created: z.string(),
  modified: z.string(),
});

export const transactionView = z.object({
  uuid: z.uuid(),
  state: stateEnum,
  idempotency_key: z.string(),
  lms_user_id: z.number().int().nullable(),
  lms_user_email: z.string().nullable(),
  content_key: z.string().nullable(),
  parent_content_key: z.string().nullable(),
  content_title: z.string().nullable(),
  course_run_start_date: z.string().nullable(),
  quantity: z.number().int(),
  unit: z.string(),
  fulfillment_identifier: z.string().nullable(),
  subsidy_access_policy_uuid: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created: z.string(),
  modified: z.string(),
  reversal: reversalView.nullable(),
  external_reference: z.array(z.string()),
  transaction_status_api_url: z.string(),
  courseware_url: z.string().nullable(),
});

/** The admin portal's "Spent" table columns, mapped to transaction fields. */
export const TRANSACTION_ORDERINGS = {
  created: 'created',
  enrollment_date: 'created',
  quantity: 'quantity',
  course_list_price: 'quantity',
  lms_user_email: 'lms_user_email',
  user_email: 'lms_user_email',
  content_title: 'content_title',
  course_title: 'content_title',
} as const;
const orderingKeys = Object.keys(TRANSACTION_ORDERINGS) as [keyof typeof TRANSACTION_ORDERINGS];

export const transactionListQuery = paginationQuery.extend({
  lms_user_id: z.coerce.number().int().min(0).optional(),
  content_key: z.string().max(255).optional(),
  subsidy_access_policy_uuid: z.uuid().optional(),
  state: states,
  search: z.string().max(255).optional(),
  ordering: z.enum([...orderingKeys, ...orderingKeys.map((k) => `-${k}` as const)]).default('-created'),
  include_aggregates: boolish.default(false),
  course_product_line: z.string().optional(),
});

export const v1TransactionListQuery = transactionListQuery.extend({
  subsidy_uuid: z.uuid(),
  enterprise_customer_uuid: z.uuid().optional(),
});

export const transactionPage = z.object({
  count: z.number().int(),
  num_pages: z.number().int(),
  current_page: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(transactionView),
  aggregates: z
    .object({
      unit: z.string(),
      remaining_subsidy_balance: z.number().int(),
      total_quantity: z.number().int(),
    })
    .optional(),
});

export const adminRedeemBody = z
  .object({
    lms_user_id: z.number().int().min(0),
    content_key: z.string().min(1).max(255),
    subsidy_access_policy_uuid: z.uuid(),
    idempotency_key: z.string().min(1).max(255).optional(),
    requested_price_cents: z.number().int().min(0).nullable().optional(),
    metadata: freeJsonObject.nullable().optional(),
  })
  .strict();

/** The deposit route's idempotency rule, as /openapi.json shows it. */
const depositKeyDescription =
  'What makes a retry the same deposit: the same key with the same amount and contract returns the first deposit (200); with another amount or contract it is refused (409 idempotency_key_conflict). Without a key every call is a new deposit.';

export const depositBody = z
  .object({
    desired_deposit_quantity: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    sales_contract_reference_id: z.string().min(1).max(255),
    sales_contract_reference_provider: z.string().min(1).max(32),
    idempotency_key: z.string().min(1).max(255).optional().describe(depositKeyDescription),
    metadata: freeJsonObject.nullable().optional(),
  })
  .strict();

export const depositView = z.object({
  uuid: z.uuid(),
  ledger: z.uuid(),
  desired_deposit_quantity: z.number().int(),
  transaction: z.uuid(),
  sales_contract_reference_id: z.string().nullable(),
  sales_contract_reference_provider: z.string().nullable(),
});

export const reverseBody = z
  .object({ idempotency_key: z.string().min(1).max(255).optional(), reason: z.string().max(1000).optional() })
  .strict();

export const canRedeemQuery = z.object({
  lms_user_id: z.coerce.number().int().min(0),
  content_key: z.string().min(1),
});

export const enrollmentView = z.object({
  uuid: z.uuid(),
  lms_user_id: z.number().int(),
  enterprise_customer_uuid: z.uuid(),
  subsidy_uuid: z.uuid(),
  transaction_uuid: z.uuid(),
  course_run_key: z.string(),
  course_key: z.string(),
  mode: z.string(),
  is_active: z.boolean(),
  unenrolled_at: z.string().nullable(),
  created: z.string(),
});

export const uuidParam = z.object({ uuid: z.uuid() });
export const subsidyParam = z.object({ subsidy_uuid: z.uuid() });
