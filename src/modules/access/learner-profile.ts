import type { AppContext } from '../../context.js';
import { Forbidden } from '../../shared/errors.js';
import { canonicalUuid, hasRole, isOperator, type Principal } from '../../shared/principal.js';
import { listCourses, listRuns } from '../catalog/index.js';
import { getLearner, groupsOfLearner } from '../enterprise/index.js';
import { enrollmentsOfLearnerInEnterprise } from '../subsidy/index.js';
import type { LearnerProfileView, ProfileEnrollment } from './learner-profile.schemas.js';

const ADMINS = ['enterprise_admin', 'enterprise_openedx_operator'] as const;

/**
 * `GET admin-view/learner_profile/`: what the admin portal's People Management shows of one
 * learner — subscriptions (none: Campus has no licenses), the enterprise's groups the learner is
 * in, and the learner's enrollments paid by the enterprise, bucketed by run dates. Admins of the
 * enterprise and operators only. Everything is scoped to the named enterprise, so a learner of
 * another enterprise shows empty lists, not a refusal (the reference answers the same way).
 */
export async function learnerProfile(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; lmsUserId: number; userEmail: string },
): Promise<LearnerProfileView> {
  const customer = canonicalUuid(input.enterpriseCustomerUuid);
  if (!(isOperator(actor) || hasRole(actor, ADMINS, customer))) {
    throw new Forbidden(
      "Only this enterprise's admins and operators may read its learners' profiles.",
      'learner_profile_admins_only',
    );
  }
  const db = ctx.db.kysely;
  const [groups, rows, learner] = await Promise.all([
    groupsOfLearner(db, customer, input.lmsUserId),
    enrollmentsOfLearnerInEnterprise(db, customer, input.lmsUserId),
    getLearner(db, input.lmsUserId),
  ]);
  // A refunded (unenrolled) enrollment is no longer one: the LMS admin view leaves it out too.
  const active = rows.filter((r) => r.is_active);
  const enrollments = await describeEnrollments(ctx, actor, active);
  return {
    subscriptions: [],
    group_memberships: groups.map((g) => ({
      lms_user_id: input.lmsUserId,
      enterprise_customer_user_id: input.lmsUserId,
      pending_enterprise_customer_user_id: null,
      member_details: {
        user_email: learner?.email ?? input.userEmail,
        user_name: learner?.full_name ?? learner?.username ?? null,
      },
      recent_action: `Accepted: ${g.created.toISOString().slice(0, 10)}`,
      status: 'accepted',
      activated_at: null,
      enrollments: active.length,
      group_name: g.name,
      group_uuid: g.uuid,
    })),
    enrollments: {
      in_progress: enrollments.filter((e) => e.course_run_status === 'in_progress'),
      upcoming: enrollments.filter((e) => e.course_run_status === 'upcoming'),
      completed: enrollments.filter((e) => e.course_run_status === 'completed'),
      saved_for_later: [],
    },
  };
}

type EnrollmentRows = Awaited<ReturnType<typeof enrollmentsOfLearnerInEnterprise>>;

/** Each enrollment with its run's dates and its course's title, org and type (two catalog reads). */
async function describeEnrollments(
  ctx: AppContext,
  actor: Principal,
  rows: EnrollmentRows,
): Promise<ProfileEnrollment[]> {
  if (rows.length === 0) return [];
  const runKeys = [...new Set(rows.map((r) => r.course_run_key))];
  const courseKeys = [...new Set(rows.map((r) => r.course_key))];
  const [runs, courses] = await Promise.all([
    listRuns(ctx, actor, { keys: runKeys, offset: 0, limit: runKeys.length }),
    listCourses(ctx, actor, { keys: courseKeys, offset: 0, limit: courseKeys.length }),
  ]);
  const runByKey = new Map(runs.rows.map((r) => [r.key, r]));
  const courseByKey = new Map(courses.rows.map((c) => [c.key, c]));
  const now = ctx.clock.now().getTime();
  return rows.map((row) => {
    const run = runByKey.get(row.course_run_key);
    const course = courseByKey.get(row.course_key);
    const start = run?.start ? Date.parse(run.start) : null;
    const end = run?.end ? Date.parse(run.end) : null;
    const status: ProfileEnrollment['course_run_status'] =
      start !== null && start > now ? 'upcoming' : end !== null && end < now ? 'completed' : 'in_progress';
    return {
      uuid: row.uuid,
      course_id: row.course_run_key,
      course_run_id: row.course_run_key,
      course_key: row.course_key,
      display_name: run?.title ?? course?.title ?? row.course_run_key,
      org_name: course?.owners[0]?.name ?? course?.org ?? '',
      course_type: course?.course_type ?? null,
      course_run_status: status,
      start_date: run?.start ?? null,
      end_date: run?.end ?? null,
      enroll_by: run?.enrollment_end ?? null,
      pacing: run?.pacing_type ?? null,
      mode: row.mode,
      product_source: course?.product_source ?? null,
      is_enrollment_active: row.is_active,
      is_revoked: false,
      saved_for_later: false,
      unenrolled: !row.is_active,
      unenrolled_at: row.unenrolled_at?.toISOString() ?? null,
      created: row.created.toISOString(),
      modified: row.modified.toISOString(),
    };
  });
}
