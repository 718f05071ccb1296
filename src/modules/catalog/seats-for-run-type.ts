import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Ids } from '../../shared/ids.js';
import { deleteSeatsExcept, upsertSeat } from './runs.repository.js';
import type { CourseRunRow, SeatRow } from './schema.js';
import type { RunTypeView } from './type-catalogue.js';

/** A verified seat's default upgrade deadline is this many days before the run ends. */
export const UPGRADE_DEADLINE_DAYS = 10;

export interface SeatDeps {
  clock: Clock;
  ids: Ids;
}

/** End − 10 days at 23:59:59 UTC for a verified seat; null for every other seat or an open-ended run. */
export function defaultUpgradeDeadline(seatType: string, end: Date | null): Date | null {
  if (seatType !== 'verified' || end === null) return null;
  const d = new Date(end.getTime() - UPGRADE_DEADLINE_DAYS * 24 * 60 * 60 * 1000);
  d.setUTCHours(23, 59, 59, 0);
  return d;
}

/**
 * After review products exist, so a run's seat types may only widen: every current type must
 * remain among the target types (audit counted in whenever verified is).
 */
export function assertSeatTypesOnlyWiden(current: string[], target: string[]): void {
  const widened = new Set(target.includes('verified') ? [...target, 'audit'] : target);
  if (current.some((t) => !widened.has(t))) {
    throw ValidationFailed.field(
      'run_type',
      'Switching seat types after being reviewed is not supported. Please reach out to your project coordinator for additional help if necessary.',
      'seat_types_may_only_widen_after_review',
    );
  }
}

/**
 * Makes the run's seats exactly the seat types of its run type
 * (docs/decisions/0010-course-type-catalogue.md): prices from `pricesCents` by seat slug,
 * otherwise kept (0 for a new seat); verified seats get the default deadline and `override`
 * (undefined keeps the current override); other seats are deleted.
 */
export async function setSeatsForRunType(
  deps: SeatDeps,
  trx: Executor,
  input: {
    run: CourseRunRow;
    runType: RunTypeView;
    current: SeatRow[];
    pricesCents?: Record<string, number>;
    override?: Date | null;
  },
): Promise<void> {
  const { run, runType, current } = input;
  if (run.reviewed_once) {
    assertSeatTypesOnlyWiden(
      current.map((s) => s.seat_type),
      runType.seat_types,
    );
  }
  const now = deps.clock.now();
  for (const seatType of runType.seat_types) {
    const existing = current.find((s) => s.seat_type === seatType);
    const override =
      seatType !== 'verified'
        ? null
        : input.override !== undefined
          ? input.override
          : (existing?.upgrade_deadline_override ?? null);
    await upsertSeat(trx, {
      uuid: deps.ids.uuid(),
      course_run_uuid: run.uuid,
      seat_type: seatType,
      price_cents: input.pricesCents?.[seatType],
      upgrade_deadline: defaultUpgradeDeadline(seatType, run.end),
      upgrade_deadline_override: override,
      now,
    });
  }
  await deleteSeatsExcept(trx, run.uuid, runType.seat_types);
}

/**
 * A changed end resets every verified seat to the default deadline and clears its override
 * (docs/decisions/0012-deadlines-follow-the-run-end.md).
 */
export async function resetDeadlinesForEnd(
  deps: SeatDeps,
  trx: Executor,
  run: CourseRunRow,
  current: SeatRow[],
) {
  const now = deps.clock.now();
  for (const seat of current.filter((s) => s.seat_type === 'verified')) {
    await upsertSeat(trx, {
      uuid: seat.uuid,
      course_run_uuid: run.uuid,
      seat_type: seat.seat_type,
      upgrade_deadline: defaultUpgradeDeadline(seat.seat_type, run.end),
      upgrade_deadline_override: null,
      now,
    });
  }
}
