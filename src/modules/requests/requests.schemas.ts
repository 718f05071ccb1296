import { z } from 'zod';
import { MAX_PAGE_SIZE, paginationQuery } from '../../http/pagination.js';
import { ORDERINGS, type Ordering } from './requests.repository.js';
import { REQUEST_STATES, SUBSIDY_TYPES } from './schema.js';

const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
/** `a,b` (and repeated parameters) → ['a', 'b']. */
const commaList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const uuidParams = z.object({ uuid: z.uuid() });
export const customerParams = z.object({ enterprise_customer_uuid: z.uuid() });

export const createRequestBody = z
  .object({
    policy_uuid: z.uuid(),
    course_id: z.string().trim().min(1).max(255),
    course_price: cents,
    enterprise_customer_uuid: z.uuid().optional(),
  })
  .strict();
export type CreateRequestBody = z.infer<typeof createRequestBody>;

const orderingField = z.string().transform((v, ctx) => {
  const desc = v.startsWith('-');
  const field = (desc ? v.slice(1) : v) as Ordering;
  // Own properties only: `in` would also accept Object.prototype's names (`constructor`, `__proto__`).
  if (!Object.hasOwn(ORDERINGS, field)) {
    ctx.addIssue({ code: 'custom', message: `Unknown ordering field: ${field}` });
    return z.NEVER;
  }
  return { field, desc };
});

/** The list filters (reference LearnerCreditRequest filterset); approve-all honours them too. */
export const requestFilterQuery = z.object({
  uuid: z.uuid().optional(),
  user__email: z.string().max(320).optional(),
  course_id: z.string().max(255).optional(),
  enterprise_customer_uuid: z.uuid().optional(),
  policy_uuid: z.uuid().optional(),
  state: commaList.optional(),
  latest_action_status: z.string().max(64).optional(),
  latest_action_status__in: commaList.optional(),
  learner_request_state: z.string().max(64).optional(),
  learner_request_state__in: commaList.optional(),
  search: z.string().max(320).optional(),
});
export type RequestFilterQuery = z.infer<typeof requestFilterQuery>;

export const requestListQuery = paginationQuery.extend(requestFilterQuery.shape).extend({
  ordering: z
    .string()
    .max(500)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(orderingField))
    .optional(),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
});
export type RequestListQuery = z.infer<typeof requestListQuery>;

export const overviewQuery = z.object({
  enterprise_customer_uuid: z.uuid({
    error: (issue) =>
      issue.input === undefined
        ? 'enterprise_customer_uuid query param is required'
        : 'enterprise_customer_uuid must be a uuid.',
  }),
  policy_uuid: z.uuid().optional(),
  search: z.string().max(320).optional(),
});

export const approveBody = z
  .object({
    learner_credit_request_uuids: z.array(z.uuid()).min(1).max(500),
    policy_uuid: z.uuid(),
    enterprise_customer_uuid: z.uuid().optional(),
  })
  .strict();

export const approveAllBody = z
  .object({ policy_uuid: z.uuid(), enterprise_customer_uuid: z.uuid().optional() })
  .strict();

export const declineBody = z
  .object({
    subsidy_request_uuid: z.uuid(),
    enterprise_customer_uuid: z.uuid().optional(),
    send_notification: z.boolean().default(false),
    decline_reason: z.string().max(255).nullable().optional(),
    disassociate_from_org: z.boolean().default(false),
  })
  .strict();

export const cancelBody = z
  .object({ request_uuid: z.uuid(), enterprise_customer_uuid: z.uuid().optional() })
  .strict();

export const remindBody = z
  .object({ learner_credit_request_uuid: z.uuid(), enterprise_customer_uuid: z.uuid().optional() })
  .strict();

export const canRequestQuery = z.object({ content_key: z.string().trim().min(1).max(255) });

export const createCustomerConfigurationBody = z
  .object({
    enterprise_customer_uuid: z.uuid(),
    subsidy_requests_enabled: z.boolean().default(false),
    subsidy_type: z.enum(SUBSIDY_TYPES).nullable().optional(),
    send_notification: z.boolean().optional(),
  })
  .strict();

export const updateCustomerConfigurationBody = z
  .object({
    subsidy_requests_enabled: z.boolean().optional(),
    subsidy_type: z.enum(SUBSIDY_TYPES).nullable().optional(),
    send_notification: z.boolean().optional(),
    // The admin portal sends the key back; it cannot change.
    enterprise_customer_uuid: z.uuid().optional(),
  })
  .strict();

export const customerConfigurationListQuery = paginationQuery.extend({
  enterprise_customer_uuid: z.uuid().optional(),
  subsidy_requests_enabled: boolish.optional(),
});

const latestAction = z.object({
  uuid: z.uuid(),
  recent_action: z.string(),
  status: z.string(),
  error_reason: z.string().nullable(),
  traceback: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

export const requestView = z.object({
  uuid: z.uuid(),
  lms_user_id: z.number().int(),
  email: z.string(),
  course_id: z.string(),
  course_title: z.string().nullable(),
  course_partners: z.array(z.unknown()),
  enterprise_customer_uuid: z.uuid(),
  policy_uuid: z.uuid(),
  state: z.enum(REQUEST_STATES),
  reviewed_at: z.string().nullable(),
  reviewer_lms_user_id: z.number().int().nullable(),
  decline_reason: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
  learner_credit_request_config: z.uuid(),
  assignment: z.uuid().nullable(),
  course_price: z.number().int(),
  latest_action: latestAction.nullable(),
  learner_request_state: z.string().nullable(),
});

export const overviewView = z.array(z.object({ state: z.enum(REQUEST_STATES), count: z.number().int() }));

export const approvalFailure = z.object({
  uuid: z.uuid(),
  reason: z.string(),
  error_message: z.string(),
});
export const approvalView = z.object({
  approved: z.array(requestView),
  failed: z.array(approvalFailure),
});

export const canRequestView = z.object({
  content_key: z.string(),
  can_request: z.boolean(),
  requestable_subsidy_access_policy: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().nullable(),
  existing_request: z.uuid().optional(),
});

export const customerConfigurationView = z.object({
  enterprise_customer_uuid: z.uuid(),
  subsidy_requests_enabled: z.boolean(),
  subsidy_type: z.enum(SUBSIDY_TYPES).nullable(),
  changed_by_lms_user_id: z.number().int().nullable(),
  created: z.string(),
  modified: z.string(),
});
