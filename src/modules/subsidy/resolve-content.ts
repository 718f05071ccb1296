import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/db.js';
import { BusinessRule } from '../../shared/errors.js';
import { getCourseByKey, getRunByKey, type RunView } from '../catalog/index.js';

export interface ResolvedContent {
  run: RunView;
  courseKey: string;
  courseTitle: string;
  /** The LMS mode a paid redemption enrolls in. */
  mode: string;
}

const PAID_MODES = ['verified', 'professional', 'credit', 'no-id-professional'];

/** Verified for paid edX content; the run's other paid mode when it has no verified seat. */
function paidMode(run: RunView): string {
  const seats = run.seats.map((s) => s.type);
  return PAID_MODES.find((m) => seats.includes(m)) ?? seats[0] ?? 'audit';
}

/**
 * The run a content key enrolls in: the run itself, or for a course key the run a learner would
 * be offered now (the latest-starting one already open for enrollment, else the next to open).
 */
export async function resolveContent(
  ctx: AppContext,
  contentKey: string,
  db: Executor,
): Promise<ResolvedContent> {
  const run = await getRunByKey(ctx, contentKey, db);
  if (run) {
    const course = await getCourseByKey(ctx, run.course, db);
    return { run, courseKey: run.course, courseTitle: course?.title ?? run.title, mode: paidMode(run) };
  }
  const course = await getCourseByKey(ctx, contentKey, db);
  if (!course)
    throw new BusinessRule('content_not_found', `No course or course run ${contentKey} in the catalog.`);
  const enrollable = course.course_runs.filter((r) => r.is_enrollable);
  const now = ctx.clock.now().toISOString();
  const started = enrollable.filter((r) => r.start <= now).sort((a, b) => b.start.localeCompare(a.start));
  const upcoming = enrollable.filter((r) => r.start > now).sort((a, b) => a.start.localeCompare(b.start));
  const chosen = started[0] ?? upcoming[0];
  if (!chosen) throw new BusinessRule('enrollment_error', `No run of ${contentKey} is open for enrollment.`);
  return { run: chosen, courseKey: course.key, courseTitle: course.title, mode: paidMode(chosen) };
}
