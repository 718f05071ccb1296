/**
 * The run course-discovery advertises for a course (its `advertised_course_run_uuid`), which the
 * learner portal takes as the course's active run: without one its course page shows Not Found.
 * Only marketable runs compete, in three tiers:
 *   1. current (started, and not within two weeks of its end) and still upgradeable: latest start;
 *   2. not started and upgradeable: earliest start;
 *   3. any other marketable run: latest start.
 * Pure: it reads the run views (their `is_marketable` and seats) and the time. The course page
 * (views.ts) and the redemption path (commerce-facts.ts, through `advertisedRunOfRows`) use this one
 * rule, so a course key is priced and enrolled in the run the learner portal shows.
 */
import type { CourseRunRow, SeatRow } from './schema.js';

/** What the choice reads of a run view (views.ts builds the views from this module's answer). */
interface AdvertisedCandidate {
  uuid: string;
  start: string;
  end: string | null;
  enrollment_end: string | null;
  is_marketable: boolean;
  seats: Array<{ type: string; price_cents: number; upgrade_deadline: string | null }>;
}

const DAY = 24 * 60 * 60 * 1000;
const time = (iso: string | null) => (iso === null ? null : new Date(iso).getTime());
const utcDay = (ms: number) => Math.floor(ms / DAY);

/** Started and more than two weeks (by UTC date) from its end. */
export function isCurrent(run: AdvertisedCandidate, now: Date): boolean {
  const end = time(run.end);
  const started = new Date(run.start).getTime() < now.getTime();
  return started && (end === null || utcDay(now.getTime()) <= utcDay(end) - 14);
}

/**
 * The last moment an unenrolled learner can still buy a paid seat: the latest-deadline paid,
 * non-credit seat's upgrade deadline, capped by the run's enrollment deadline (the earlier of end
 * and enrollment end). Null when there is no paid seat or no known date, as course-discovery has it.
 */
export function paidSeatEnrollmentEnd(run: AdvertisedCandidate): number | null {
  const paid = run.seats.filter((s) => s.price_cents > 0 && s.type !== 'credit');
  if (paid.length === 0) return null;
  const latest = [...paid].sort(
    (a, b) => (time(b.upgrade_deadline) ?? Infinity) - (time(a.upgrade_deadline) ?? Infinity),
  )[0]!;
  const closes = [time(run.end), time(run.enrollment_end)].filter((d): d is number => d !== null);
  let deadline = closes.length ? Math.min(...closes) : null;
  const seatDeadline = time(latest.upgrade_deadline);
  if (seatDeadline !== null && (deadline === null || seatDeadline < deadline)) deadline = seatDeadline;
  return deadline;
}

export function isUpgradeable(run: AdvertisedCandidate, now: Date): boolean {
  const deadline = paidSeatEnrollmentEnd(run);
  return deadline !== null && now.getTime() < deadline;
}

export function advertisedCourseRun<R extends AdvertisedCandidate>(runs: R[], now: Date): R | null {
  const tiers: [R[], R[], R[]] = [[], [], []];
  for (const run of runs.filter((r) => r.is_marketable)) {
    const started = new Date(run.start).getTime() < now.getTime();
    if (isCurrent(run, now) && isUpgradeable(run, now)) tiers[0].push(run);
    else if (!started && isUpgradeable(run, now)) tiers[1].push(run);
    else tiers[2].push(run);
  }
  const start = (r: R) => new Date(r.start).getTime();
  const latest = (list: R[]) => [...list].sort((a, b) => start(b) - start(a))[0] ?? null;
  const earliest = (list: R[]) => [...list].sort((a, b) => start(a) - start(b))[0] ?? null;
  if (tiers[0].length) return latest(tiers[0]);
  if (tiers[1].length) return earliest(tiers[1]);
  return latest(tiers[2]);
}

/**
 * course-discovery's `CourseRun.is_marketable`: a published run of a marketable type with seats.
 * Campus keeps no marketing site, so the reference's "has a marketing URL" clause has nothing to
 * test: every run that passes the rest is marketable.
 */
export function isMarketable(
  run: Pick<CourseRunRow, 'status'>,
  runTypeMarketable: boolean,
  seatCount: number,
) {
  return runTypeMarketable && run.status === 'published' && seatCount > 0;
}

/** The advertised run from rows, for callers that have not built run views. */
export function advertisedRunOfRows(
  runs: CourseRunRow[],
  seats: SeatRow[],
  marketableRunTypes: ReadonlySet<string>,
  now: Date,
): CourseRunRow | null {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const candidates = runs.map((run) => {
    const own = seats.filter((s) => s.course_run_uuid === run.uuid);
    return {
      row: run,
      uuid: run.uuid,
      start: run.start.toISOString(),
      end: iso(run.end),
      enrollment_end: iso(run.enrollment_end),
      is_marketable: isMarketable(run, marketableRunTypes.has(run.run_type_uuid), own.length),
      seats: own.map((s) => ({
        type: s.seat_type,
        price_cents: s.price_cents,
        upgrade_deadline: iso(s.upgrade_deadline_override ?? s.upgrade_deadline),
      })),
    };
  });
  return advertisedCourseRun(candidates, now)?.row ?? null;
}
