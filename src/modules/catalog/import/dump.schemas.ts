import { z } from 'zod';
import { dollarsToCents } from '../../../shared/money.js';

/**
 * A course-discovery-shaped catalog dump (data/catalog-sample.json is one). Lenient as real dumps
 * need: unknown fields are accepted and dropped, prices may be "49.00" or 49, dates may be null.
 * Each record is parsed on its own so that one bad course does not sink the file.
 */

/** Dollars as course-discovery writes them ("49.00", "49", 49, 49.5) → integer cents. */
export const price = z.union([z.string().trim(), z.number()]).transform((value, ctx) => {
  try {
    return dollarsToCents(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a price in dollars: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

/** An ISO 8601 date-time ("2026-01-15T14:00:00Z", with or without fraction or offset) → Date. */
const dateTime = z.string().transform((value, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}(T|\s)\d{2}:\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(ms);
});
const optionalDateTime = dateTime.nullish().transform((d) => d ?? null);

const slug = z.string().trim().min(1).max(64);
const uuid = z.uuid();
const currency = z.string().trim().toUpperCase().length(3).default('USD');

export const orgRecord = z.object({
  key: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(255),
  uuid: uuid.nullish(),
});
export type OrgRecord = z.infer<typeof orgRecord>;

export const seatRecord = z.object({
  type: slug,
  price: price.default(0),
  currency,
  upgrade_deadline: optionalDateTime,
});
export type SeatRecord = z.infer<typeof seatRecord>;

export const runRecord = z
  .object({
    uuid: uuid.nullish(),
    key: z
      .string()
      .trim()
      .regex(/^course-v1:[^+\s]+\+[^+\s]+\+[^+\s]+$/, 'run keys look like course-v1:ORG+NUMBER+TERM'),
    title: z.string().trim().max(255).nullish(),
    start: dateTime,
    end: optionalDateTime,
    enrollment_start: optionalDateTime,
    enrollment_end: optionalDateTime,
    pacing_type: z.enum(['instructor_paced', 'self_paced']).nullish(),
    status: z
      .enum(['unpublished', 'review_by_legal', 'review_by_internal', 'reviewed', 'published'])
      .nullish(),
    run_type: slug,
    seats: z.array(seatRecord).default([]),
  })
  .refine((r) => !r.end || r.start.getTime() <= r.end.getTime(), {
    message: 'start must be before end',
    path: ['start'],
  });
export type RunRecord = z.infer<typeof runRecord>;

export const entitlementRecord = z.object({ mode: slug, price: price.default(0), currency });
export type EntitlementRecord = z.infer<typeof entitlementRecord>;

export const courseRecord = z.object({
  uuid: uuid.nullish(),
  key: z
    .string()
    .trim()
    .regex(/^[^+\s/]+\+[^+\s/]+$/, 'course keys look like ORG+NUMBER'),
  title: z.string().trim().min(1).max(255),
  short_description: z.string().nullish(),
  org: z.string().trim().min(1).nullish(),
  course_type: slug,
  /** Not in course-discovery dumps (its courses have no status); derived from the runs when absent. */
  status: z.enum(['unpublished', 'reviewed', 'published']).nullish(),
  /** Absent: the course's entitlements are left as they are; a list: they become exactly these. */
  entitlements: z.array(entitlementRecord).nullish(),
  // Runs are parsed one by one by the importer, so that one bad run does not sink its course.
  course_runs: z.array(z.unknown()).default([]),
});
export type CourseRecord = z.infer<typeof courseRecord>;

export const programRecord = z.object({
  uuid: uuid.nullish(),
  title: z.string().trim().min(1).max(255),
  type: slug,
  status: z.enum(['unpublished', 'active', 'retired', 'deleted']).default('active'),
  courses: z.array(z.string().trim().min(1)).default([]),
  excluded_course_runs: z.array(z.string().trim().min(1)).default([]),
});
export type ProgramRecord = z.infer<typeof programRecord>;

/** The envelope only: records stay unknown here and are validated one by one. */
export const catalogDump = z.object({
  organizations: z.array(z.unknown()).default([]),
  courses: z.array(z.unknown()).default([]),
  programs: z.array(z.unknown()).default([]),
});
export type CatalogDump = z.infer<typeof catalogDump>;

/** One line per issue: "course_runs.0.start: not a date-time: ...". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
