import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { getCourseByKey, lockCourse } from './courses.repository.js';
import { assertDates } from './create-run.js';
import {
  deleteSeatsExcept,
  getRunByKey,
  insertRun,
  seatsOfRuns,
  updateRun,
  upsertSeat,
} from './runs.repository.js';
import type { PacingType, RunStatus } from './schema.js';
import { defaultUpgradeDeadline } from './seats-for-run-type.js';
import { EMPTY_TYPE, runTypeAllowed, runTypeNotAllowed } from './type-catalogue.js';

import {
  catalogueOf,
  REVIEWED,
  sameTime,
  type UpsertOutcome,
  type UpsertResult,
  type WriteDeps,
} from './upsert-common.js';

export interface CourseRunUpsert {
  /** course-v1:ORG+NUMBER+TERM. */
  key: string;
  /** The course key; the course must exist. */
  course: string;
  /** A run type slug; must be one of the course type's unless it (or the course type) is `empty`. */
  runType: string;
  /** Used only when the run is created. */
  uuid?: string | null;
  title?: string | null;
  start: Date;
  end: Date | null;
  enrollmentStart?: Date | null;
  enrollmentEnd?: Date | null;
  pacingType?: PacingType | null;
  status?: RunStatus | null;
  /** The run's seats become exactly these; a verified seat without a deadline gets end − 10 days. */
  seats: { type: string; priceCents: number; currency?: string; upgradeDeadline?: Date | null }[];
}

/** Get-or-create a course run by key, with exactly the given seats. */
export async function upsertCourseRun(
  deps: WriteDeps,
  trx: Trx,
  input: CourseRunUpsert,
): Promise<UpsertResult> {
  assertDates(input.start, input.end, input.enrollmentStart, input.enrollmentEnd);
  const found = await getCourseByKey(trx, input.course);
  if (!found)
    throw ValidationFailed.field('course', `Course [${input.course}] does not exist.`, 'unknown_course');
  const course = (await lockCourse(trx, found.uuid))!;
  const cat = await catalogueOf(trx);
  const runType = cat.runTypesBySlug.get(input.runType);
  if (!runType)
    throw ValidationFailed.field(
      'run_type',
      `Unknown course run type "${input.runType}".`,
      'unknown_run_type',
    );
  const courseType = cat.courseTypes.get(course.course_type_uuid)!;
  const mismatchAllowed = runType.slug === EMPTY_TYPE || courseType.slug === EMPTY_TYPE;
  if (!mismatchAllowed && !runTypeAllowed(courseType, runType)) throw runTypeNotAllowed(courseType, runType);
  for (const seat of input.seats) {
    if (!cat.seatTypes.has(seat.type)) {
      throw ValidationFailed.field('seats', `Unknown seat type "${seat.type}".`, 'unknown_seat_type');
    }
    if (runType.slug !== EMPTY_TYPE && !runType.seat_types.includes(seat.type)) {
      throw ValidationFailed.field(
        'seats',
        `Course run type '${runType.name}' has no ${seat.type} seat.`,
        'seat_type_not_in_run_type',
      );
    }
  }
  const seats = [...new Map(input.seats.map((s) => [s.type, s])).values()].map((s) => ({
    ...s,
    currency: s.currency ?? 'USD',
    upgradeDeadline: s.upgradeDeadline ?? defaultUpgradeDeadline(s.type, input.end),
  }));
  const status = input.status ?? 'unpublished';
  const fields = {
    run_type_uuid: runType.uuid,
    title_override: input.title ?? null,
    pacing_type: input.pacingType ?? 'instructor_paced',
    status,
  } as const;
  const dates = {
    start: input.start,
    end: input.end,
    enrollment_start: input.enrollmentStart ?? null,
    enrollment_end: input.enrollmentEnd ?? null,
  };
  const now = deps.clock.now();

  const existing = await getRunByKey(trx, input.key);
  let uuid: string;
  let outcome: UpsertOutcome;
  if (!existing) {
    const row = await insertRun(trx, {
      uuid: input.uuid ?? deps.ids.uuid(),
      key: input.key,
      course_uuid: course.uuid,
      reviewed_once: REVIEWED.includes(status),
      ...fields,
      ...dates,
      now,
    });
    if (!row)
      throw ValidationFailed.field(
        'key',
        `A course run with key [${input.key}] already exists.`,
        'duplicate_run_key',
      );
    uuid = row.uuid;
    outcome = 'created';
  } else {
    if (existing.course_uuid !== course.uuid) {
      throw ValidationFailed.field(
        'key',
        `Course run [${input.key}] belongs to another course.`,
        'run_of_another_course',
      );
    }
    uuid = existing.uuid;
    const changed =
      (Object.keys(fields) as (keyof typeof fields)[]).some((k) => existing[k] !== fields[k]) ||
      (Object.keys(dates) as (keyof typeof dates)[]).some((k) => !sameTime(existing[k], dates[k]));
    if (changed) {
      await updateRun(
        trx,
        uuid,
        { ...fields, ...dates, reviewed_once: existing.reviewed_once || REVIEWED.includes(status) },
        now,
      );
    }
    outcome = changed ? 'updated' : 'unchanged';
  }

  const current = outcome === 'created' ? [] : await seatsOfRuns(trx, [uuid]);
  const same =
    current.length === seats.length &&
    seats.every((s) =>
      current.some(
        (c) =>
          c.seat_type === s.type &&
          c.price_cents === s.priceCents &&
          c.currency === s.currency &&
          sameTime(c.upgrade_deadline, s.upgradeDeadline),
      ),
    );
  if (!same) {
    for (const s of seats) {
      await upsertSeat(trx, {
        uuid: deps.ids.uuid(),
        course_run_uuid: uuid,
        seat_type: s.type,
        price_cents: s.priceCents,
        currency: s.currency,
        upgrade_deadline: s.upgradeDeadline,
        upgrade_deadline_override:
          current.find((c) => c.seat_type === s.type)?.upgrade_deadline_override ?? null,
        now,
      });
    }
    await deleteSeatsExcept(
      trx,
      uuid,
      seats.map((s) => s.type),
    );
    if (outcome === 'unchanged') outcome = 'updated';
  }
  return { outcome, uuid };
}
