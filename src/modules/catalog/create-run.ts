import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { getCourseByKey, lockCourse } from './courses.repository.js';
import { getRun } from './read-runs.js';
import { baseRunKey, nextRunKey, termFor } from './run-keys.js';
import { insertRun } from './runs.repository.js';
import type { CourseRow, CourseRunRow, PacingType } from './schema.js';
import { type SeatDeps, setSeatsForRunType } from './seats-for-run-type.js';
import {
  loadTypeCatalogue,
  runTypeAllowed,
  runTypeNotAllowed,
  type TypeCatalogue,
} from './type-catalogue.js';
import type { RunView } from './views.js';

export interface NewRunInput {
  start: Date;
  end: Date;
  /** A course run type uuid. */
  run_type: string;
  pricesCents?: Record<string, number>;
  pacing_type?: PacingType;
  enrollment_start?: Date | null;
  enrollment_end?: Date | null;
  title?: string | null;
}

export function assertDates(
  start: Date,
  end: Date | null,
  enrollmentStart?: Date | null,
  enrollmentEnd?: Date | null,
) {
  if (end && start > end) {
    throw ValidationFailed.field('start', 'Start date cannot be after the End date', 'start_after_end');
  }
  if (enrollmentStart && enrollmentEnd && enrollmentStart > enrollmentEnd) {
    throw ValidationFailed.field(
      'enrollment_start',
      'Enrollment start date cannot be after the enrollment end date',
      'enrollment_start_after_end',
    );
  }
}

/**
 * Adds a run to a course the caller has locked: checks dates and that the run type belongs to the
 * course type, generates the key, and creates the seats of the run type.
 */
export async function addRunToCourse(
  deps: SeatDeps,
  trx: Executor,
  cat: TypeCatalogue,
  course: CourseRow,
  input: NewRunInput,
): Promise<CourseRunRow> {
  assertDates(input.start, input.end, input.enrollment_start, input.enrollment_end);
  const runType = cat.runTypes.get(input.run_type);
  if (!runType) throw ValidationFailed.field('run_type', 'Unknown course run type.', 'unknown_run_type');
  const courseType = cat.courseTypes.get(course.course_type_uuid)!;
  if (!runTypeAllowed(courseType, runType)) throw runTypeNotAllowed(courseType, runType);
  const key = await nextRunKey(trx, baseRunKey(course, termFor(input.start)));
  const run = await insertRun(trx, {
    uuid: deps.ids.uuid(),
    key,
    course_uuid: course.uuid,
    run_type_uuid: runType.uuid,
    title_override: input.title ?? null,
    start: input.start,
    end: input.end,
    enrollment_start: input.enrollment_start ?? null,
    enrollment_end: input.enrollment_end ?? null,
    pacing_type: input.pacing_type ?? 'instructor_paced',
    now: deps.clock.now(),
  });
  // The course row is locked, so no other run of this course can take the key meanwhile.
  if (!run)
    throw ValidationFailed.field(
      'course',
      `A course run with key [${key}] already exists.`,
      'duplicate_run_key',
    );
  await setSeatsForRunType(deps, trx, { run, runType, current: [], pricesCents: input.pricesCents });
  return run;
}

/** POST /course_runs/: a new unpublished run of an existing course. */
export async function createRun(
  ctx: AppContext,
  actor: Principal,
  input: NewRunInput & { course: string },
): Promise<RunView> {
  requireRole(actor, 'catalog_admin');
  const run = await ctx.db.transaction(async (trx) => {
    const found = await getCourseByKey(trx, input.course);
    if (!found)
      throw ValidationFailed.field('course', `Course [${input.course}] does not exist.`, 'unknown_course');
    const course = (await lockCourse(trx, found.uuid))!;
    return addRunToCourse(ctx, trx, await loadTypeCatalogue(trx), course, input);
  });
  return getRun(ctx, actor, run.key);
}
