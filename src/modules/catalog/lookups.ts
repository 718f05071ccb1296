import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { commerceFacts } from './commerce-facts.js';
import { getCourseByKey as getCourseRow, getCoursesByUuids } from './courses.repository.js';
import { courseViews, runViews } from './hydrate.js';
import { programViews } from './programs.js';
import { getProgram } from './programs.repository.js';
import { getRunByKey as getRunRow, seatsOfRuns } from './runs.repository.js';
import { loadTypeCatalogue } from './type-catalogue.js';
import { type CourseView, effectiveDeadline, type RunView } from './views.js';

/**
 * Reads for other modules (access, assignments, credentials, ...). No actor: the calling module
 * has authorized its own request. Each takes an optional `db` so it can run in the caller's
 * transaction.
 */

export interface RunModesAndPrices {
  runKey: string;
  courseKey: string;
  /** The LMS modes of the run's type (including modes without a seat, such as masters). */
  modes: string[];
  seats: { seatType: string; priceCents: number; currency: string; upgradeDeadline: Date | null }[];
}

export interface ProgramWithRuns {
  uuid: string;
  title: string;
  /** The program type slug. */
  type: string;
  status: 'unpublished' | 'active' | 'retired' | 'deleted';
  applicableSeatTypes: string[];
  /** In program order, each with its runs minus the excluded ones. */
  courses: { uuid: string; key: string; title: string; runKeys: string[] }[];
  /** Runs of the program's courses that are not the program's runs. */
  excludedRunKeys: string[];
}

/** A course run by key, as GET /catalog/api/v1/course_runs/{key}/ shows it (without programs); null if unknown. */
export async function getRunByKey(ctx: AppContext, db: Executor, key: string): Promise<RunView | null> {
  const row = await getRunRow(db, key);
  if (!row) return null;
  const [view] = await runViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now());
  return view ?? null;
}

/** A course by key (ORG+NUMBER), with runs and entitlements as the API shows it; null if unknown. */
export async function getCourseByKey(ctx: AppContext, db: Executor, key: string): Promise<CourseView | null> {
  const row = await getCourseRow(db, key);
  if (!row) return null;
  const [view] = await courseViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now());
  return view ?? null;
}

/** A run's modes and seat prices in cents; null if the run is unknown. */
export async function runModesAndPrices(db: Executor, runKey: string): Promise<RunModesAndPrices | null> {
  const run = await getRunRow(db, runKey);
  if (!run) return null;
  const [cat, seats, course] = await Promise.all([
    loadTypeCatalogue(db),
    seatsOfRuns(db, [run.uuid]),
    getCoursesByUuids(db, [run.course_uuid]),
  ]);
  const runType = cat.runTypes.get(run.run_type_uuid)!;
  return {
    runKey: run.key,
    courseKey: course[0]!.key,
    modes: runType.modes.length ? runType.modes : seats.map((s) => s.seat_type),
    seats: seats.map((s) => ({
      seatType: s.seat_type,
      priceCents: s.price_cents,
      currency: s.currency,
      upgradeDeadline: effectiveDeadline(s),
    })),
  };
}

/** A program with its courses, its runs (exclusions applied) and its excluded run keys; null if unknown. */
export async function getProgramWithRuns(
  ctx: AppContext,
  db: Executor,
  uuid: string,
): Promise<ProgramWithRuns | null> {
  const row = await getProgram(db, uuid);
  if (!row) return null;
  const [view] = await programViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now());
  if (!view) return null;
  return {
    uuid: view.uuid,
    title: view.title,
    type: view.type_attrs.slug,
    status: view.status,
    applicableSeatTypes: view.applicable_seat_types,
    courses: view.courses.map((c) => ({
      uuid: c.uuid,
      key: c.key,
      title: c.title,
      runKeys: c.course_runs.map((r) => r.key),
    })),
    excludedRunKeys: view.excluded_course_runs,
  };
}

/**
 * The price in cents a learner pays for a content key: for a run key, its first enrollable paid
 * seat (or, when none is enrollable, its cheapest paid seat); for a course key, the same for its
 * advertised run, or its paid entitlement when no run has a paid seat. Null when unknown or free.
 */
export async function contentPrice(
  ctx: AppContext,
  db: Executor,
  contentKey: string,
): Promise<number | null> {
  return (await commerceFacts(ctx, db, [contentKey])).get(contentKey)?.priceCents ?? null;
}
