import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { advertisedRunOfRows } from './advertised-run.js';
import { entitlementsOfCourses, getCoursesByKeys, getCoursesByUuids } from './courses.repository.js';
import { getRunsByKeys, runsOfCourses, seatsOfRuns } from './runs.repository.js';
import type { CourseRunRow, SeatRow } from './schema.js';
import { marketableRunTypes } from './types.repository.js';
import { effectiveDeadline, firstEnrollablePaidSeat, isEnrollable } from './views.js';

/** What selling a content key needs to know: which run, at what price, open until when. */
export interface CommerceFacts {
  contentKey: string;
  /** The run a redemption enrolls in: the key itself, or a course's advertised run. */
  runKey: string | null;
  courseKey: string;
  courseTitle: string;
  start: Date | null;
  end: Date | null;
  isEnrollable: boolean;
  /** The paid LMS mode a redemption enrolls in (verified for paid edX content). */
  paidMode: string;
  /** Cents; null when the catalog has no paid price (a refusal for learner credit, never free). */
  priceCents: number | null;
  /** The verified upgrade deadline or the enrollment end, whichever comes first. */
  enrollBy: Date | null;
  /** The run's pacing; null without a run. */
  pacingType: CourseRunRow['pacing_type'] | null;
}

const PAID_MODES = ['verified', 'professional', 'credit', 'no-id-professional'];

function runPrice(run: CourseRunRow, seats: SeatRow[], now: Date): number | null {
  const first = firstEnrollablePaidSeat(run, seats, now);
  if (first) return first.price_cents;
  const paid = seats.filter((s) => s.price_cents > 0 && s.seat_type !== 'credit').map((s) => s.price_cents);
  return paid.length ? Math.min(...paid) : null;
}

function enrollBy(run: CourseRunRow, seats: SeatRow[]): Date | null {
  const verified = seats.find((s) => s.seat_type === 'verified');
  const dates = [verified ? effectiveDeadline(verified) : null, run.enrollment_end].filter(
    (d): d is Date => d !== null,
  );
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
}

/**
 * Commerce facts for many content keys (run or course keys) in seven queries, whatever their number:
 * the redemption path's view of the catalog, without the public API's full hydration.
 */
export async function commerceFacts(
  ctx: AppContext,
  db: Executor,
  contentKeys: string[],
): Promise<Map<string, CommerceFacts | null>> {
  const now = ctx.clock.now();
  const keys = [...new Set(contentKeys)];
  const runsByKey = await getRunsByKeys(db, keys);
  const courseKeys = keys.filter((k) => !runsByKey.some((r) => r.key === k));
  const [runCourses, keyedCourses] = await Promise.all([
    getCoursesByUuids(db, [...new Set(runsByKey.map((r) => r.course_uuid))]),
    getCoursesByKeys(db, courseKeys),
  ]);
  const courseRuns = await runsOfCourses(
    db,
    keyedCourses.map((c) => c.uuid),
  );
  const [seats, entitlements, marketable] = await Promise.all([
    seatsOfRuns(
      db,
      [...runsByKey, ...courseRuns].map((r) => r.uuid),
    ),
    entitlementsOfCourses(
      db,
      keyedCourses.map((c) => c.uuid),
    ),
    marketableRunTypes(db, [...new Set(courseRuns.map((r) => r.run_type_uuid))]),
  ]);
  const seatsOf = (run: CourseRunRow) => seats.filter((s) => s.course_run_uuid === run.uuid);
  const facts = (contentKey: string, run: CourseRunRow | null, course: { key: string; title: string }) => {
    const runSeats = run ? seatsOf(run) : [];
    const types = runSeats.map((s) => s.seat_type);
    return {
      contentKey,
      runKey: run?.key ?? null,
      courseKey: course.key,
      courseTitle: course.title,
      start: run?.start ?? null,
      end: run?.end ?? null,
      isEnrollable: run ? isEnrollable(run, now) : false,
      paidMode: PAID_MODES.find((m) => types.includes(m)) ?? types[0] ?? 'audit',
      priceCents: run ? runPrice(run, runSeats, now) : null,
      enrollBy: run ? enrollBy(run, runSeats) : null,
      pacingType: run?.pacing_type ?? null,
    };
  };

  const out = new Map<string, CommerceFacts | null>();
  for (const key of keys) {
    const run = runsByKey.find((r) => r.key === key);
    if (run) {
      const course = runCourses.find((c) => c.uuid === run.course_uuid);
      out.set(key, course ? facts(key, run, course) : null);
      continue;
    }
    const course = keyedCourses.find((c) => c.key === key);
    if (!course) {
      out.set(key, null);
      continue;
    }
    const runs = courseRuns.filter((r) => r.course_uuid === course.uuid);
    const advertised = advertisedRunOfRows(runs, seats, marketable, now);
    const f = facts(key, advertised, course);
    if (f.priceCents === null) {
      f.priceCents =
        entitlements.find((e) => e.course_uuid === course.uuid && e.price_cents > 0)?.price_cents ?? null;
    }
    out.set(key, f);
  }
  return out;
}
