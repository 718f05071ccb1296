import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';

// ---- building blocks

const uuid = z.uuid().transform((v) => v.toLowerCase());
const dateTime = z.iso.datetime();
const email = z.email().max(254);
const lmsUserId = z.number().int().positive();

export const uuidParams = z.object({ uuid });
export const learnerParams = z.object({ uuid, lms_user_id: z.coerce.number().int().positive() });
export const contentParams = z.object({ uuid, key: z.string().min(1) });

/** `1/0/true/false` in a query string. */
const queryBool = z
  .enum(['1', '0', 'true', 'false', 'True', 'False'])
  .optional()
  .transform((v) => v === '1' || v?.toLowerCase() === 'true');

/** A query parameter given once, several times, or as a comma-separated list. */
const repeatable = z.union([z.string(), z.array(z.string())]).optional();

// ---- customers

export const customerIn = z
  .object({
    uuid: uuid.optional(),
    name: z.string().trim().min(1).max(255),
    slug: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Lower-case letters, digits, - and _.'),
    active: z.boolean().optional(),
    country: z.string().trim().max(2).nullable().optional(),
    contact_email: email.nullable().optional(),
    auth_org_id: z.string().max(80).nullable().optional(),
    enable_data_sharing_consent: z.boolean().optional(),
  })
  .strict();
export type CustomerIn = z.infer<typeof customerIn>;
export const customerPatch = customerIn.omit({ uuid: true }).partial().strict();

export const customerOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  slug: z.string(),
  active: z.boolean(),
  country: z.string().nullable(),
  contact_email: z.string().nullable(),
  auth_org_id: z.string().nullable(),
  enable_data_sharing_consent: z.boolean(),
  created: dateTime,
  modified: dateTime,
});
export type CustomerOut = z.infer<typeof customerOut>;

// ---- learners and memberships

export const learnerIn = z.union([
  z.object({ lms_user_id: lmsUserId, username: z.string().trim().min(1).max(150), email }).strict(),
  z.object({ emails: z.array(email).min(1).max(1000) }).strict(),
]);
export type LearnerIn = z.infer<typeof learnerIn>;

export const memberOut = z.object({
  lms_user_id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  linked: dateTime,
});
export type MemberOut = z.infer<typeof memberOut>;
export const pendingMemberOut = z.object({ email: z.string(), invited: z.string() });
export const inviteOut = z.object({ linked: z.array(memberOut), pending: z.array(z.string()) });

export const myMembershipOut = z.object({
  enterprise_customer: z.object({ uuid: z.uuid(), name: z.string(), slug: z.string() }),
  active: z.boolean(),
  linked: dateTime,
});
export type MyMembershipOut = z.infer<typeof myMembershipOut>;

// ---- catalogs

export const catalogIn = z
  .object({
    uuid: uuid.optional(),
    enterprise_customer: uuid,
    title: z.string().trim().min(1).max(255),
    content_filter: z.record(z.string(), z.unknown()),
  })
  .strict();
export const catalogPatch = catalogIn.pick({ title: true, content_filter: true }).partial().strict();
export const catalogListQuery = paginationQuery.extend({ enterprise_customer: uuid.optional() });

export const catalogOut = z.object({
  uuid: z.uuid(),
  enterprise_customer: z.uuid(),
  title: z.string(),
  content_filter: z.record(z.string(), z.unknown()),
  created: dateTime,
  modified: dateTime,
});
export type CatalogOut = z.infer<typeof catalogOut>;

export const containsQuery = z.object({ course_run_ids: repeatable, program_uuids: repeatable });
export const customerContainsQuery = containsQuery.extend({
  get_catalogs_containing_specified_content_ids: queryBool,
});
export const containsOut = z.object({
  contains_content_items: z.boolean(),
  by_key: z.record(z.string(), z.boolean()),
  catalog_list: z.array(z.uuid()).optional(),
});

/** The catalog's course or run record as GET /catalog/api/v1/... shows it, with these fields added. */
export const contentMetadataOut = z
  .object({
    key: z.string(),
    uuid: z.uuid(),
    title: z.string(),
    content_type: z.enum(['course', 'courserun']),
    content_key: z.string(),
    parent_content_key: z.string().nullable(),
    content_price: z.number().int().nullable(),
    price: z.string().nullable(),
    catalog_uuids: z.array(z.uuid()),
  })
  .loose();

// ---- groups

export const groupIn = z
  .object({ enterprise_customer: uuid, name: z.string().trim().min(1).max(255) })
  .strict();
export const groupPatch = z.object({ name: z.string().trim().min(1).max(255) }).strict();
export const groupListQuery = paginationQuery.extend({ enterprise_customer: uuid.optional() });
export const groupOut = z.object({
  uuid: z.uuid(),
  enterprise_customer: z.uuid(),
  name: z.string(),
  created: dateTime,
  modified: dateTime,
});
export type GroupOut = z.infer<typeof groupOut>;

export const learnersChangeIn = z
  .object({
    lms_user_ids: z.array(lmsUserId).max(1000).optional(),
    learner_emails: z.array(email).max(1000).optional(),
  })
  .strict();
export const assignOut = z.object({ added: z.array(z.number().int()), pending: z.array(z.string()) });
export const removeOut = z.object({
  removed: z.array(z.number().int()),
  pending_removed: z.array(z.string()),
});
export const groupLearnerOut = z.object({
  lms_user_id: z.number().int().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  pending: z.boolean(),
  created: dateTime,
});
export type GroupLearnerOut = z.infer<typeof groupLearnerOut>;

/** `?course_run_ids=a,b&course_run_ids=c&program_uuids=...` → the keys in order, `+` kept. */
export function contentKeys(query: {
  course_run_ids?: string | string[];
  program_uuids?: string | string[];
}) {
  const values = [query.course_run_ids ?? [], query.program_uuids ?? []].flat();
  // A literal `+` in a query string decodes as a space; course keys never hold spaces.
  const keys = values.flatMap((v) => v.split(',')).map((k) => k.replace(/ /g, '+').trim());
  return [...new Set(keys.filter(Boolean))];
}
