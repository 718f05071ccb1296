import type { Executor } from '../../database.js';

/**
 * Which of these course runs the learner holds an awarded course certificate for: the LMS's
 * "passing certificate", which makes an enrollment `completed` on the learner dashboard even
 * before the run ends. One statement.
 */
export async function passedRunKeys(
  db: Executor,
  lmsUserId: number,
  runKeys: string[],
): Promise<Set<string>> {
  if (runKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom('user_credentials as uc')
    .innerJoin('credential_learners as l', 'l.uuid', 'uc.learner_uuid')
    .select('uc.course_run_key')
    .where('l.lms_user_id', '=', lmsUserId)
    .where('uc.credential_type', '=', 'course-run')
    .where('uc.status', '=', 'awarded')
    .where('uc.course_run_key', 'in', runKeys)
    .execute();
  return new Set(rows.flatMap((r) => (r.course_run_key ? [r.course_run_key] : [])));
}
