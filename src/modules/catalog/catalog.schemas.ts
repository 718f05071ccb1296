import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';
import { dollarsToCents } from '../../shared/money.js';

// ---- building blocks

/** `?keys=a,b` → ['a', 'b']. */
const commaList = z
  .string()
  .optional()
  .transform((v) =>
    v === undefined
      ? undefined
      : v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
  );

/** `?uuids=a,b` → ['a', 'b'], each a uuid (a malformed one is a 400, not a database error). */
const commaUuidList = commaList.pipe(z.array(z.uuid()).optional());

/** `1/0/true/false` in a query string. */
const queryBool = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true'));

/** A price in dollars as course-discovery takes it (49, 77.77, "49.00"), converted to integer cents. */
export const dollars = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return dollarsToCents(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'Enter a non-negative price in dollars with at most two decimals.',
    });
    return z.NEVER;
  }
});

/** `{"verified": 49, "professional": "132.00"}`: prices by seat type slug, in cents once parsed. */
const prices = z.record(z.string(), dollars).optional();

/** An ISO date-time, or a date (midnight UTC). */
const dateTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));

const slug = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Use lower-case letters, digits, "-" and "_".');
const name = z.string().trim().min(1).max(255);
const pacing = z.enum(['instructor_paced', 'self_paced']);
const runStatus = z.enum(['unpublished', 'review_by_legal', 'review_by_internal', 'reviewed', 'published']);
const courseStatus = z.enum(['unpublished', 'reviewed', 'published']);
const programStatus = z.enum(['unpublished', 'active', 'retired', 'deleted']);
const isoOut = z.iso.datetime();

export const uuidParams = z.object({ uuid: z.uuid() });
export const keyParams = z.object({ key: z.string().min(1).max(255) });
export const slugParams = z.object({ slug: z.string().min(1).max(64) });

// ---- type catalogue

export const seatTypeOut = z.object({ name: z.string(), slug: z.string() });
export const modeOut = z.object({
  name: z.string(),
  slug: z.string(),
  is_id_verified: z.boolean(),
  is_credit_eligible: z.boolean(),
  certificate_type: z.string().nullable(),
  payee: z.string().nullable(),
  is_certificate_eligible: z.boolean(),
});
export const trackOut = z.object({ uuid: z.uuid(), mode: modeOut, seat_type: seatTypeOut.nullable() });
export const runTypeOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  slug: z.string(),
  is_marketable: z.boolean(),
  tracks: z.array(trackOut),
  modes: z.array(z.string()),
  seat_types: z.array(z.string()),
});
export const courseTypeOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  slug: z.string(),
  entitlement_types: z.array(z.string()),
  course_run_types: z.array(runTypeOut),
});
export const programTypeOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  slug: z.string(),
  coaching_supported: z.boolean(),
  applicable_seat_types: z.array(z.string()),
});
export const typeOptionOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  entitlement_types: z.array(z.string()),
  course_run_types: z.array(
    z.object({ uuid: z.uuid(), name: z.string(), is_marketable: z.boolean(), modes: z.array(z.string()) }),
  ),
  tracks: z.array(z.object({ seat_type: seatTypeOut.nullable(), mode: modeOut })),
});
export const typeOptionsOut = z.object({ type_options: z.array(typeOptionOut) });
/** OPTIONS /courses/{key}/, shaped as course-discovery's DRF metadata where clients read it. */
export const courseOptionsOut = z.object({
  name: z.string(),
  actions: z.object({
    PUT: z.object({
      type: z.object({ type: z.string(), required: z.boolean(), type_options: z.array(typeOptionOut) }),
      entitlements: z.object({
        child: z.object({
          children: z.object({
            mode: z.object({ choices: z.array(z.object({ display_name: z.string(), value: z.string() })) }),
          }),
        }),
      }),
    }),
  }),
});

export const typeListQuery = paginationQuery;
export const courseTypeListQuery = paginationQuery.extend({ include_empty: queryBool });

export const createSeatTypeBody = z.object({ name, slug: slug.optional() }).strict();
export const createModeBody = z
  .object({
    name,
    slug: slug.optional(),
    is_id_verified: z.boolean().default(false),
    is_credit_eligible: z.boolean().default(false),
    certificate_type: z.string().trim().max(64).nullable().default(null),
    payee: z.enum(['platform', 'organization']).nullable().default(null),
  })
  .strict();
export const createTrackBody = z
  .object({ mode: z.string().min(1), seat_type: z.string().min(1).nullable() })
  .strict();
export const createRunTypeBody = z
  .object({
    name,
    slug: slug.optional(),
    is_marketable: z.boolean().default(true),
    tracks: z.array(z.uuid()).min(0),
  })
  .strict();
export const createCourseTypeBody = z
  .object({
    name,
    slug: slug.optional(),
    entitlement_types: z.array(z.string().min(1)).default([]),
    course_run_types: z.array(z.uuid()),
  })
  .strict();

// ---- organizations

export const organizationOut = z.object({
  uuid: z.uuid(),
  key: z.string(),
  name: z.string(),
  created: isoOut,
  modified: isoOut,
});
export const organizationListQuery = paginationQuery.extend({ keys: commaList, uuids: commaUuidList });
export const createOrganizationBody = z.object({ key: z.string().trim().min(1).max(64), name }).strict();
export const updateOrganizationBody = z.object({ name: name.optional() }).strict();

// ---- courses and runs

export const seatOut = z.object({
  type: z.string(),
  price: z.string(),
  price_cents: z.number().int(),
  currency: z.string(),
  upgrade_deadline: isoOut.nullable(),
  upgrade_deadline_override: isoOut.nullable(),
  credit_provider: z.string().nullable(),
  credit_hours: z.number().int().nullable(),
  sku: z.string().nullable(),
  bulk_sku: z.string().nullable(),
});
export const entitlementOut = z.object({
  mode: z.string(),
  price: z.string(),
  price_cents: z.number().int(),
  currency: z.string(),
  sku: z.string().nullable(),
  expires: z.null(),
});
const typeAttrs = z.object({ uuid: z.uuid(), slug: z.string(), coaching_supported: z.boolean() });
export const runProgramOut = z.object({
  uuid: z.uuid(),
  title: z.string(),
  type: z.string(),
  type_attrs: typeAttrs,
  status: programStatus,
  marketing_slug: z.string().nullable(),
  number_of_courses: z.number().int(),
});
export const runOut = z.object({
  uuid: z.uuid(),
  key: z.string(),
  course: z.string(),
  course_uuid: z.uuid(),
  title: z.string(),
  start: isoOut,
  end: isoOut.nullable(),
  enrollment_start: isoOut.nullable(),
  enrollment_end: isoOut.nullable(),
  pacing_type: pacing,
  status: runStatus,
  run_type: z.uuid(),
  run_type_slug: z.string(),
  type: z.string().nullable(),
  seats: z.array(seatOut),
  hidden: z.boolean(),
  is_enrollable: z.boolean(),
  is_marketable: z.boolean(),
  availability: z.enum(['Archived', 'Current', 'Starting Soon', 'Upcoming']),
  first_enrollable_paid_seat_price: z.number().nullable(),
  first_enrollable_paid_seat_price_cents: z.number().int().nullable(),
  staff: z.array(
    z.object({
      uuid: z.uuid(),
      given_name: z.string(),
      family_name: z.string(),
      slug: z.string(),
      profile_image_url: z.string().nullable(),
    }),
  ),
  enrollment_count: z.number().int(),
  programs: z.array(runProgramOut).optional(),
  created: isoOut,
  modified: isoOut,
});
/** A course partner on other modules' cards (assignments' content_metadata, requests' course_partners). */
export const coursePartnerOut = z.object({ name: z.string(), logo_image_url: z.string().nullable() });
/**
 * enterprise-access's `content_metadata` of an assignment: a run's dates and price (`content_price`
 * in dollars, as there, with cents beside it), the course type and partners.
 */
export const contentMetadataOut = z.object({
  start_date: isoOut.nullable(),
  end_date: isoOut.nullable(),
  enroll_by_date: isoOut.nullable(),
  content_price: z.number().nullable(),
  content_price_cents: z.number().int().nullable(),
  course_type: z.string(),
  partners: z.array(coursePartnerOut),
});
export const courseOut = z.object({
  uuid: z.uuid(),
  key: z.string(),
  title: z.string(),
  number: z.string(),
  type: z.uuid(),
  course_type: z.string(),
  org: z.string(),
  owners: z.array(
    z.object({
      uuid: z.uuid(),
      key: z.string(),
      name: z.string(),
      logo_image_url: z.null(),
      marketing_url: z.null(),
    }),
  ),
  status: courseStatus,
  key_for_reruns: z.string().nullable(),
  short_description: z.string().nullable(),
  full_description: z.string().nullable(),
  product_source: z.string().nullable(),
  entitlements: z.array(entitlementOut),
  course_runs: z.array(runOut),
  course_run_keys: z.array(z.string()),
  advertised_course_run_uuid: z.uuid().nullable(),
  programs: z.array(runProgramOut),
  skills: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
  sponsors: z.array(z.object({ uuid: z.uuid(), key: z.string(), name: z.string() })),
  created: isoOut,
  modified: isoOut,
});

export const courseListQuery = paginationQuery.extend({
  keys: commaList,
  uuids: commaUuidList,
  course_type: z.string().optional(),
  q: z.string().max(200).optional(),
});

const runFields = {
  start: dateTime,
  end: dateTime,
  run_type: z.uuid(),
  prices,
  pacing_type: pacing.optional(),
  enrollment_start: dateTime.nullable().optional(),
  enrollment_end: dateTime.nullable().optional(),
  title: z.string().trim().max(255).nullable().optional(),
};
export const embeddedRunBody = z.object(runFields).strict();
export const createCourseBody = z
  .object({
    title: name,
    number: z.string().trim().min(1).max(64),
    org: z.string().trim().min(1),
    type: z.uuid(),
    prices,
    short_description: z.string().nullable().optional(),
    full_description: z.string().nullable().optional(),
    product_source: z.string().nullable().optional(),
    key_for_reruns: z.string().trim().max(130).nullable().optional(),
    course_run: embeddedRunBody.optional(),
  })
  .strict();
export const updateCourseBody = z
  .object({
    title: name.optional(),
    type: z.uuid().optional(),
    prices,
    status: courseStatus.optional(),
    short_description: z.string().nullable().optional(),
    full_description: z.string().nullable().optional(),
    product_source: z.string().nullable().optional(),
    key_for_reruns: z.string().trim().max(130).nullable().optional(),
  })
  .strict();

export const runListQuery = paginationQuery.extend({
  keys: commaList,
  active: queryBool,
  marketable: queryBool,
  include_unpublished_programs: queryBool,
  include_retired_programs: queryBool,
  include_deleted_programs: queryBool,
});
export const runDetailQuery = z.object({
  include_unpublished_programs: queryBool,
  include_retired_programs: queryBool,
  include_deleted_programs: queryBool,
});
export const createRunBody = z.object({ course: z.string().trim().min(1), ...runFields }).strict();
export const updateRunBody = z
  .object({
    start: dateTime.optional(),
    end: dateTime.optional(),
    run_type: z.uuid().optional(),
    prices,
    pacing_type: pacing.optional(),
    enrollment_start: dateTime.nullable().optional(),
    enrollment_end: dateTime.nullable().optional(),
    title: z.string().trim().max(255).nullable().optional(),
    status: runStatus.optional(),
    hidden: z.boolean().optional(),
    upgrade_deadline_override: dateTime.nullable().optional(),
  })
  .strict();
export const containsQuery = z.object({
  course_run_ids: z.string().min(1, 'Give course_run_ids, a comma-separated list of run keys.'),
  /** Accepted for compatibility with course-discovery's Elasticsearch query; ignored. */
  query: z.string().optional(),
});
export const containsOut = z.object({ course_runs: z.record(z.string(), z.boolean()) });

// ---- programs

export const programOut = z.object({
  uuid: z.uuid(),
  title: z.string(),
  type: z.string(),
  type_attrs: typeAttrs,
  status: programStatus,
  marketing_slug: z.string().nullable(),
  courses: z.array(
    z.object({ uuid: z.uuid(), key: z.string(), title: z.string(), course_runs: z.array(runOut) }),
  ),
  excluded_course_runs: z.array(z.string()),
  applicable_seat_types: z.array(z.string()),
  created: isoOut,
  modified: isoOut,
});
export const programListQuery = paginationQuery.extend({
  uuids: commaUuidList,
  status: commaList.pipe(z.array(programStatus).optional()),
  types: commaList,
});
const programFields = {
  title: name,
  type: z.string().trim().min(1),
  status: programStatus.optional(),
  marketing_slug: z.string().trim().min(1).max(255).nullable().optional(),
  courses: z.array(z.string().trim().min(1)),
  excluded_course_runs: z.array(z.string().trim().min(1)),
};
export const createProgramBody = z
  .object({
    ...programFields,
    courses: programFields.courses.default([]),
    excluded_course_runs: programFields.excluded_course_runs.default([]),
  })
  .strict();
export const updateProgramBody = z
  .object({
    title: name.optional(),
    type: programFields.type.optional(),
    status: programStatus.optional(),
    marketing_slug: programFields.marketing_slug,
    courses: programFields.courses.optional(),
    excluded_course_runs: programFields.excluded_course_runs.optional(),
  })
  .strict();
