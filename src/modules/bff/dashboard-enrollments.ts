import type { AppContext } from '../../context.js';
import { type ContentMetadata, contentMetadata } from '../catalog/index.js';
import { passedRunKeys } from '../credentials/index.js';
import { type EnrollmentRow, enrollmentsOfLearnerInEnterprise } from '../subsidy/index.js';
import type { DashboardResponse, EnrollmentView } from './bff.schemas.js';
import { courseHomeUrl, ENROLLMENT_DEFAULTS } from './customer-defaults.js';

type Status = EnrollmentView['course_run_status'];

/**
 * The LMS's course_run_status: completed once the run has ended or the learner holds a passing
 * certificate, else by the run's dates (Campus keeps no "saved for later" flag).
 */
export function runStatus(start: Date | null, end: Date | null, passed: boolean, now: Date): Status {
  if (passed || (end && end <= now)) return 'completed';
  if (start && start > now) return 'upcoming';
  return 'in_progress';
}

/** enterprise-access's UNENROLLABLE_COURSE_STATUSES: every realized status. */
const UNENROLLABLE: ReadonlySet<Status> = new Set([
  'in_progress',
  'upcoming',
  'completed',
  'saved_for_later',
]);

interface ViewParts {
  meta: ContentMetadata | null | undefined;
  passed: boolean;
  learningMfeUrl: string;
  now: Date;
}

function view(e: EnrollmentRow, { meta, passed, learningMfeUrl, now }: ViewParts): EnrollmentView {
  const status = runStatus(meta?.start ?? null, meta?.end ?? null, passed, now);
  const d = ENROLLMENT_DEFAULTS;
  return {
    ...d,
    notifications: [],
    course_run_id: e.course_run_key,
    course_run_status: status,
    course_key: e.course_key,
    course_type: meta?.courseType ?? '',
    created: e.created.toISOString(),
    start_date: meta?.start?.toISOString() ?? null,
    end_date: meta?.end?.toISOString() ?? null,
    enroll_by: meta?.enrollBy?.toISOString() ?? null,
    is_enrollment_active: e.is_active,
    link_to_course: d.resume_course_run_url ?? courseHomeUrl(learningMfeUrl, e.course_run_key),
    mode: e.mode,
    // The LMS's values: "self" or "instructor"; unknown runs as the LMS's common one.
    pacing: meta?.pacingType === 'self_paced' ? 'self' : 'instructor',
    org_name: meta?.partners[0]?.name ?? '',
    product_source: meta?.courseType === 'executive-education-2u' ? '2u' : 'edx',
    title: meta?.courseTitle ?? e.course_key,
    // enterprise-access: unenrollable in any realized status while no certificate is linked; a
    // passing certificate counts as one (the LMS links it; Campus's record of it is enough).
    can_unenroll: UNENROLLABLE.has(status) && d.link_to_certificate === null && !passed,
  };
}

type DashboardExtras = Pick<DashboardResponse, 'enterprise_course_enrollments' | 'all_enrollments_by_status'>;

/**
 * The learner's active enterprise course enrollments in the customer and the same grouped by
 * status, as enterprise-access's LearnerDashboardDataMixin builds them: one enrollment statement,
 * then the catalog's card metadata for all their runs in a fixed number of statements.
 */
export async function dashboardEnrollments(
  ctx: AppContext,
  customerUuid: string,
  lmsUserId: number,
): Promise<DashboardExtras> {
  const now = ctx.clock.now();
  const rows = (await enrollmentsOfLearnerInEnterprise(ctx.db.kysely, customerUuid, lmsUserId)).filter(
    (e) => e.is_active,
  );
  const runKeys = rows.map((e) => e.course_run_key);
  const [meta, passed] = await Promise.all([
    contentMetadata(ctx, ctx.db.kysely, runKeys),
    passedRunKeys(ctx.db.kysely, lmsUserId, runKeys),
  ]);
  const learningMfeUrl = ctx.config.learningMfeUrl;
  const enrollments = rows.map((e) =>
    view(e, { meta: meta.get(e.course_run_key), passed: passed.has(e.course_run_key), learningMfeUrl, now }),
  );
  const byStatus = (s: Status) => enrollments.filter((e) => e.course_run_status === s);
  return {
    enterprise_course_enrollments: enrollments,
    all_enrollments_by_status: {
      in_progress: byStatus('in_progress'),
      upcoming: byStatus('upcoming'),
      completed: byStatus('completed'),
      saved_for_later: byStatus('saved_for_later'),
    },
  };
}

/** No enrollments: what a staff user looking at a customer they are not linked to gets. */
export const NO_ENROLLMENTS: DashboardExtras = {
  enterprise_course_enrollments: [],
  all_enrollments_by_status: { in_progress: [], upcoming: [], completed: [], saved_for_later: [] },
};
