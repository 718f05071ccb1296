import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { lockCourse } from './courses.repository.js';
import { assertDates } from './create-run.js';
import { isUuid } from './lookup-keys.js';
import { getRun } from './read-runs.js';
import {
  getRunByKey,
  getRunByUuid,
  type RunPatch,
  seatsOfRuns,
  updateRun as updateRow,
} from './runs.repository.js';
import type { PacingType, RunStatus } from './schema.js';
import { resetDeadlinesForEnd, setSeatsForRunType } from './seats-for-run-type.js';
import { loadTypeCatalogue, runTypeAllowed, runTypeNotAllowed } from './type-catalogue.js';
import { isActive, type RunView } from './views.js';

export interface RunUpdate {
  start?: Date;
  end?: Date;
  enrollment_start?: Date | null;
  enrollment_end?: Date | null;
  run_type?: string;
  pricesCents?: Record<string, number>;
  pacing_type?: PacingType;
  status?: RunStatus;
  title?: string | null;
  hidden?: boolean;
  upgrade_deadline_override?: Date | null;
}

const REVIEWED: RunStatus[] = ['reviewed', 'published'];

/**
 * PATCH /course_runs/{key}/: the run type must belong to the course type; when the request sets
 * run_type, prices or the upgrade deadline override, an active run's seats become exactly its run
 * type's (an ended run keeps its seats and prices); after review, seat types may only widen; a new
 * end resets the verified upgrade deadline. Other edits leave seats alone, so that an imported run
 * whose seats do not match its type (the `empty` type) keeps them.
 */
export async function updateRun(
  ctx: AppContext,
  actor: Principal,
  keyOrUuid: string,
  input: RunUpdate,
): Promise<RunView> {
  requireRole(actor, 'catalog_admin');
  const key = await ctx.db.transaction(async (trx) => {
    const found = isUuid(keyOrUuid) ? await getRunByUuid(trx, keyOrUuid) : await getRunByKey(trx, keyOrUuid);
    if (!found) throw new NotFound('No course run with this key.');
    const course = (await lockCourse(trx, found.course_uuid))!;
    const run = (await getRunByUuid(trx, found.uuid))!;
    const cat = await loadTypeCatalogue(trx);

    const end = input.end ?? run.end;
    const enrollmentStart =
      input.enrollment_start !== undefined ? input.enrollment_start : run.enrollment_start;
    const enrollmentEnd = input.enrollment_end !== undefined ? input.enrollment_end : run.enrollment_end;
    assertDates(input.start ?? run.start, end, enrollmentStart, enrollmentEnd);

    let runType = cat.runTypes.get(run.run_type_uuid)!;
    if (input.run_type !== undefined) {
      const wanted = cat.runTypes.get(input.run_type);
      if (!wanted) throw ValidationFailed.field('run_type', 'Unknown course run type.', 'unknown_run_type');
      const courseType = cat.courseTypes.get(course.course_type_uuid)!;
      if (!runTypeAllowed(courseType, wanted)) throw runTypeNotAllowed(courseType, wanted);
      runType = wanted;
    }

    const patch: RunPatch = {
      start: input.start,
      end: input.end,
      enrollment_start: input.enrollment_start,
      enrollment_end: input.enrollment_end,
      run_type_uuid: runType.uuid,
      pacing_type: input.pacing_type,
      status: input.status,
      title_override: input.title,
      hidden: input.hidden,
    };
    if (input.status && REVIEWED.includes(input.status)) patch.reviewed_once = true;
    const now = ctx.clock.now();
    const updated = await updateRow(trx, run.uuid, patch, now);

    const current = await seatsOfRuns(trx, [run.uuid]);
    const endChanged = input.end !== undefined && input.end.getTime() !== run.end?.getTime();
    // Seats follow the run type when a request touches them (run_type, prices or the override), and
    // only while the run is active: an ended run keeps its seats and prices, as in course-discovery
    // (docs/decisions/0010-course-type-catalogue.md).
    const touchesSeats =
      input.run_type !== undefined ||
      input.pricesCents !== undefined ||
      input.upgrade_deadline_override !== undefined;
    if (touchesSeats && isActive(updated, now)) {
      await setSeatsForRunType(ctx, trx, {
        run: { ...updated, reviewed_once: run.reviewed_once },
        runType,
        current,
        pricesCents: input.pricesCents,
        override:
          input.upgrade_deadline_override !== undefined
            ? input.upgrade_deadline_override
            : endChanged
              ? null
              : undefined,
      });
    } else if (endChanged) {
      // Deadlines follow the end whatever else happens (docs/decisions/0012-deadlines-follow-the-run-end.md).
      await resetDeadlinesForEnd(ctx, trx, updated, current);
    }
    return updated.key;
  });
  return getRun(ctx, actor, key);
}
