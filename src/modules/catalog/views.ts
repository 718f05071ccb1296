import { centsToDollarString, centsToDollars } from '../../shared/money.js';
import { advertisedCourseRun, isMarketable } from './advertised-run.js';
import type {
  CourseRow,
  CourseRunRow,
  CourseStatus,
  EntitlementRow,
  OrganizationRow,
  PacingType,
  ProgramRow,
  ProgramStatus,
  RunStatus,
  SeatRow,
} from './schema.js';
import type { TypeCatalogue } from './type-catalogue.js';

/**
 * The API shapes of catalog objects and the pure functions that build them from rows. Dates are
 * ISO strings; money is `price_cents` plus `price` as course-discovery's decimal string.
 */

export interface OrganizationView {
  uuid: string;
  key: string;
  name: string;
  created: string;
  modified: string;
}

export interface SeatView {
  type: string;
  price: string;
  price_cents: number;
  currency: string;
  /** The effective deadline: the override when set, otherwise the default. */
  upgrade_deadline: string | null;
  upgrade_deadline_override: string | null;
  credit_provider: string | null;
  credit_hours: number | null;
  sku: string | null;
  bulk_sku: string | null;
}

export interface EntitlementView {
  mode: string;
  price: string;
  price_cents: number;
  currency: string;
  sku: string | null;
  expires: null;
}

export interface RunProgramView {
  uuid: string;
  title: string;
  type: string;
  type_attrs: { uuid: string; slug: string; coaching_supported: boolean };
  status: ProgramStatus;
  marketing_slug: string | null;
  number_of_courses: number;
}

export type Availability = 'Archived' | 'Current' | 'Starting Soon' | 'Upcoming';

/** course-discovery's minimal person (a run's `staff`): Campus keeps no instructors, so always empty. */
export interface StaffView {
  uuid: string;
  given_name: string;
  family_name: string;
  slug: string;
  profile_image_url: string | null;
}

export interface RunView {
  uuid: string;
  key: string;
  course: string;
  course_uuid: string;
  title: string;
  start: string;
  end: string | null;
  enrollment_start: string | null;
  enrollment_end: string | null;
  pacing_type: PacingType;
  status: RunStatus;
  run_type: string;
  run_type_slug: string;
  type: string | null;
  seats: SeatView[];
  hidden: boolean;
  is_enrollable: boolean;
  is_marketable: boolean;
  availability: Availability;
  first_enrollable_paid_seat_price: number | null;
  first_enrollable_paid_seat_price_cents: number | null;
  /** Instructors; the learner portal's course page maps over it (CreatedBy.jsx). */
  staff: StaffView[];
  /**
   * course-discovery's count of the LMS's enrollments in the run. Campus does not see the LMS's
   * enrollments: 0, which the learner portal shows as "be the first to enroll" (a missing count
   * shows "NaN recently enrolled").
   */
  enrollment_count: number;
  programs?: RunProgramView[];
  created: string;
  modified: string;
}

export interface CourseView {
  uuid: string;
  key: string;
  title: string;
  number: string;
  type: string;
  course_type: string;
  org: string;
  owners: { uuid: string; key: string; name: string; logo_image_url: null; marketing_url: null }[];
  status: CourseStatus;
  key_for_reruns: string | null;
  short_description: string | null;
  full_description: string | null;
  product_source: string | null;
  entitlements: EntitlementView[];
  course_runs: RunView[];
  course_run_keys: string[];
  /** The run the learner portal shows as the course's active run (see advertised-run.ts); null if none. */
  advertised_course_run_uuid: string | null;
  /** Active programs holding the course (and not excluding all its runs), as course-discovery lists them. */
  programs: RunProgramView[];
  /** Lists the learner portal's course page reads (`.length`, `.map`): Campus keeps no skills or sponsors. */
  skills: { name: string; description: string | null }[];
  sponsors: { uuid: string; key: string; name: string }[];
  created: string;
  modified: string;
}

export interface ProgramView {
  uuid: string;
  title: string;
  type: string;
  type_attrs: { uuid: string; slug: string; coaching_supported: boolean };
  status: ProgramStatus;
  marketing_slug: string | null;
  courses: { uuid: string; key: string; title: string; course_runs: RunView[] }[];
  excluded_course_runs: string[];
  applicable_seat_types: string[];
  created: string;
  modified: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const DAY = 24 * 60 * 60 * 1000;
// course-discovery's type_legacy: one slug picked from the run's seats in this order.
const LEGACY_PRIORITY = ['credit', 'professional', 'no-id-professional', 'verified', 'honor', 'audit'];

export function toOrganizationView(row: OrganizationRow): OrganizationView {
  return {
    uuid: row.uuid,
    key: row.key,
    name: row.name,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export function effectiveDeadline(seat: SeatRow): Date | null {
  return seat.upgrade_deadline_override ?? seat.upgrade_deadline;
}

export function toSeatView(row: SeatRow): SeatView {
  return {
    type: row.seat_type,
    price: centsToDollarString(row.price_cents),
    price_cents: row.price_cents,
    currency: row.currency,
    upgrade_deadline: iso(effectiveDeadline(row)),
    upgrade_deadline_override: iso(row.upgrade_deadline_override),
    credit_provider: row.credit_provider,
    credit_hours: row.credit_hours,
    sku: row.sku,
    bulk_sku: row.bulk_sku,
  };
}

export function toEntitlementView(row: EntitlementRow): EntitlementView {
  return {
    mode: row.mode,
    price: centsToDollarString(row.price_cents),
    price_cents: row.price_cents,
    currency: row.currency,
    sku: row.sku,
    expires: null,
  };
}

/** Enrollment open at `now`: started (or no start) and not closed (or no end). */
export function isEnrollable(run: CourseRunRow, now: Date): boolean {
  return (
    (run.enrollment_end === null || run.enrollment_end >= now) &&
    (run.enrollment_start === null || run.enrollment_start <= now)
  );
}

export function availability(run: CourseRunRow, now: Date): Availability {
  if (run.end && run.end < now) return 'Archived';
  if (run.start <= now) return 'Current';
  if (run.start.getTime() - now.getTime() <= 60 * DAY) return 'Starting Soon';
  return 'Upcoming';
}

/** Not ended and enrollment not closed: the runs whose seats an update may still change. */
export function isActive(run: Pick<CourseRunRow, 'end' | 'enrollment_end'>, now: Date): boolean {
  return (run.end === null || run.end > now) && (run.enrollment_end === null || run.enrollment_end > now);
}

/** The paid, non-credit seat a learner can still buy first (by upgrade deadline), or null. */
export function firstEnrollablePaidSeat(run: CourseRunRow, seats: SeatRow[], now: Date): SeatRow | null {
  if (!isEnrollable(run, now)) return null;
  const paid = seats
    .filter((s) => s.price_cents > 0 && s.seat_type !== 'credit')
    .filter((s) => {
      const d = effectiveDeadline(s);
      return d === null || d > now;
    })
    .sort(
      (a, b) => (effectiveDeadline(a)?.getTime() ?? Infinity) - (effectiveDeadline(b)?.getTime() ?? Infinity),
    );
  return paid[0] ?? null;
}

export function toRunView(
  run: CourseRunRow,
  parts: { courseKey: string; courseTitle: string; seats: SeatRow[]; cat: TypeCatalogue; now: Date },
): RunView {
  const runType = parts.cat.runTypes.get(run.run_type_uuid);
  const seatTypes = parts.seats.map((s) => s.seat_type);
  const paid = firstEnrollablePaidSeat(run, parts.seats, parts.now);
  return {
    uuid: run.uuid,
    key: run.key,
    course: parts.courseKey,
    course_uuid: run.course_uuid,
    title: run.title_override ?? parts.courseTitle,
    start: run.start.toISOString(),
    end: iso(run.end),
    enrollment_start: iso(run.enrollment_start),
    enrollment_end: iso(run.enrollment_end),
    pacing_type: run.pacing_type,
    status: run.status,
    run_type: run.run_type_uuid,
    run_type_slug: runType?.slug ?? '',
    type: LEGACY_PRIORITY.find((t) => seatTypes.includes(t)) ?? null,
    seats: parts.seats.map(toSeatView),
    hidden: run.hidden,
    is_enrollable: isEnrollable(run, parts.now),
    is_marketable: isMarketable(run, Boolean(runType?.is_marketable), parts.seats.length),
    availability: availability(run, parts.now),
    first_enrollable_paid_seat_price: paid ? centsToDollars(paid.price_cents) : null,
    first_enrollable_paid_seat_price_cents: paid ? paid.price_cents : null,
    staff: [],
    enrollment_count: 0,
    created: run.created.toISOString(),
    modified: run.modified.toISOString(),
  };
}

export function toCourseView(
  course: CourseRow,
  parts: {
    org: OrganizationRow;
    entitlements: EntitlementRow[];
    runs: RunView[];
    programs: RunProgramView[];
    cat: TypeCatalogue;
    now: Date;
  },
): CourseView {
  const type = parts.cat.courseTypes.get(course.course_type_uuid);
  return {
    uuid: course.uuid,
    key: course.key,
    title: course.title,
    number: course.number,
    type: course.course_type_uuid,
    course_type: type?.slug ?? '',
    org: parts.org.key,
    // Campus keeps no organization logos or marketing pages.
    owners: [
      {
        uuid: parts.org.uuid,
        key: parts.org.key,
        name: parts.org.name,
        logo_image_url: null,
        marketing_url: null,
      },
    ],
    status: course.status,
    key_for_reruns: course.key_for_reruns,
    short_description: course.short_description,
    full_description: course.full_description,
    product_source: course.product_source,
    entitlements: parts.entitlements.map(toEntitlementView),
    course_runs: parts.runs,
    course_run_keys: parts.runs.map((r) => r.key),
    advertised_course_run_uuid: advertisedCourseRun(parts.runs, parts.now)?.uuid ?? null,
    programs: parts.programs,
    skills: [],
    sponsors: [],
    created: course.created.toISOString(),
    modified: course.modified.toISOString(),
  };
}

export function toRunProgramView(
  row: ProgramRow & { number_of_courses: number },
  cat: TypeCatalogue,
): RunProgramView {
  const type = cat.programTypes.get(row.program_type_uuid)!;
  return {
    uuid: row.uuid,
    title: row.title,
    type: type.name,
    type_attrs: { uuid: type.uuid, slug: type.slug, coaching_supported: type.coaching_supported },
    status: row.status,
    marketing_slug: row.marketing_slug,
    number_of_courses: Number(row.number_of_courses),
  };
}
