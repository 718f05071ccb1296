import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';
import { contentMetadataOut } from '../catalog/index.js';
import { MAX_EMAILS_PER_ALLOCATION } from './limits.js';
import { ACTION_TYPES, ASSIGNMENT_STATES, ERROR_REASONS, LEARNER_STATES } from './schema.js';

export const configParams = z.object({ config_uuid: z.uuid() });
export type ConfigParams = z.infer<typeof configParams>;
export const configAssignmentParams = z.object({ config_uuid: z.uuid(), assignment_uuid: z.uuid() });
export const uuidParams = z.object({ uuid: z.uuid() });
export const policyParams = z.object({ policy_uuid: z.uuid() });

export const configurationView = z.object({
  uuid: z.uuid(),
  subsidy_access_policy: z.uuid().nullable(),
  enterprise_customer_uuid: z.uuid(),
  active: z.boolean(),
  created: z.string(),
  modified: z.string(),
});

const bool = z
  .enum(['true', 'false', 'True', 'False', '1', '0'])
  .transform((v) => ['true', 'True', '1'].includes(v));

export const configurationListQuery = paginationQuery.extend({
  enterprise_customer_uuid: z.uuid(),
  active: bool.optional(),
});
export type ConfigurationListQuery = z.infer<typeof configurationListQuery>;

export const createConfigurationBody = z.object({ enterprise_customer_uuid: z.uuid() }).strict();
/** Any field is accepted here so that the service can name the ones that cannot change. */
export const updateConfigurationBody = z.record(z.string(), z.unknown());

export const actionView = z.object({
  uuid: z.uuid(),
  action_type: z.enum(ACTION_TYPES),
  completed_at: z.string().nullable(),
  error_reason: z.enum(ERROR_REASONS).nullable(),
  created: z.string(),
  modified: z.string(),
});

export const assignmentView = z.object({
  uuid: z.uuid(),
  assignment_configuration: z.uuid(),
  learner_email: z.string(),
  lms_user_id: z.number().int().nullable(),
  content_key: z.string(),
  parent_content_key: z.string().nullable(),
  is_assigned_course_run: z.boolean(),
  content_title: z.string().nullable(),
  content_quantity: z.number().int(),
  preferred_course_run_key: z.string().nullable(),
  state: z.enum(ASSIGNMENT_STATES),
  allocated_at: z.string(),
  accepted_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  expired_at: z.string().nullable(),
  errored_at: z.string().nullable(),
  reversed_at: z.string().nullable(),
  transaction_uuid: z.uuid().nullable(),
  allocation_batch_id: z.uuid().nullable(),
  admin_lms_user_id: z.number().int().nullable(),
  learner_acknowledged: z.boolean(),
  actions: z.array(actionView),
  earliest_possible_expiration: z.object({
    date: z.string(),
    reason: z.enum(['SUBSIDY_EXPIRED', 'ENROLLMENT_DATE_PASSED', 'NINETY_DAYS_PASSED']),
  }),
  created: z.string(),
  modified: z.string(),
});

/** The learner's own view (their list, credits_available): with content_metadata, as enterprise-access. */
export const learnerAssignmentView = assignmentView.extend({
  content_metadata: contentMetadataOut.nullable(),
});

export const adminAssignmentView = assignmentView.extend({
  learner_state: z.enum(LEARNER_STATES).nullable(),
  recent_action: z.object({ action_type: z.enum(['assigned', 'reminded']), timestamp: z.string() }),
  error_reason: z
    .object({ action_type: z.enum(ACTION_TYPES), error_reason: z.enum(ERROR_REASONS).nullable() })
    .nullable(),
});

const commaList = <T extends z.ZodType>(item: T) =>
  z.string().transform((v, c) => {
    const parts = v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const parsed = z.array(item).safeParse(parts);
    if (!parsed.success) {
      c.addIssue({ code: 'custom', message: `Invalid value(s): ${v}` });
      return z.NEVER;
    }
    return parsed.data as z.infer<T>[];
  });

export const adminListQuery = paginationQuery.extend({
  content_key: z.string().optional(),
  content_key__in: commaList(z.string()).optional(),
  learner_email: z.string().optional(),
  learner_email__in: commaList(z.string()).optional(),
  lms_user_id: z.coerce.number().int().optional(),
  lms_user_id__in: commaList(z.coerce.number().int()).optional(),
  state: z.enum(ASSIGNMENT_STATES).optional(),
  state__in: commaList(z.enum(ASSIGNMENT_STATES)).optional(),
  learner_state: z.enum(LEARNER_STATES).optional(),
  learner_state__in: commaList(z.enum(LEARNER_STATES)).optional(),
  search: z.string().optional(),
  ordering: z.string().optional(),
});
export type AdminListQuery = z.infer<typeof adminListQuery>;
/** The admin list's filters alone: what cancel-all and remind-all honour. */
export const adminFilterQuery = adminListQuery.omit({ page: true, page_size: true, ordering: true });
export type AdminFilterQuery = z.infer<typeof adminFilterQuery>;

export const adminListResponse = z.object({
  count: z.number().int(),
  num_pages: z.number().int(),
  current_page: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(adminAssignmentView),
  learner_state_counts: z.array(z.object({ learner_state: z.enum(LEARNER_STATES), count: z.number().int() })),
});

export const assignmentUuidsBody = z
  .object({ assignment_uuids: z.array(z.uuid()).min(1).max(1000) })
  .strict();

export const cancelResponse = z.object({
  cancelled: z.array(z.uuid()),
  already_cancelled: z.array(z.uuid()),
  non_cancelable: z.array(z.uuid()),
  not_found: z.array(z.uuid()),
});
export const remindResponse = z.object({
  reminded: z.array(z.uuid()),
  non_remindable: z.array(z.uuid()),
  not_found: z.array(z.uuid()),
});
export const cancelAllResponse = z.object({ cancelled: z.array(z.uuid()) });
export const remindAllResponse = z.object({ reminded: z.array(z.uuid()) });
export const acknowledgeResponse = z.object({
  acknowledged_assignments: z.array(z.uuid()),
  already_acknowledged_assignments: z.array(z.uuid()),
  unacknowledged_assignments: z.array(z.uuid()),
});

export const allocateBody = z
  .object({
    learner_emails: z
      .array(z.email())
      .min(1)
      .describe(
        `At most ${MAX_EMAILS_PER_ALLOCATION} different emails per call (the admin portal's own limit); more is refused with 422 too_many_learners.`,
      ),
    content_key: z.string().min(1).max(255),
    content_price_cents: z.number().int().min(0),
    // The admin portal sends it; the caller is recorded from the token instead.
    admin_lms_user_id: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Ignored: the assignment records the caller from the token.'),
  })
  .strict();
export type AllocateBody = z.infer<typeof allocateBody>;

export const allocateResponse = z.object({
  updated: z.array(assignmentView),
  created: z.array(assignmentView),
  no_change: z.array(assignmentView),
});

export const allocationRefusal = z.array(
  z.object({
    reason: z.string(),
    user_message: z.string().nullable(),
    metadata: z
      .object({
        enterprise_administrators: z.array(
          z.object({ email: z.string(), lms_user_id: z.number().int().nullable() }),
        ),
      })
      .optional(),
    error_message: z.string().optional(),
    policy_uuids: z.array(z.uuid()),
  }),
);

export const nudgeBody = z
  .object({
    assignment_uuids: z.array(z.uuid()).min(1).max(1000),
    // At most a century ahead: further than any run starts, and within what a date can hold
    // (a larger number made the target date Invalid Date and the request a 500).
    days_before_course_start_date: z.number().int().min(1).max(36_500),
  })
  .strict();
export const nudgeResponse = z.object({
  nudged_assignment_uuids: z.array(z.uuid()),
  unnudged_assignment_uuids: z.array(z.uuid()),
});
