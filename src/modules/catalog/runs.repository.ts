import type { Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CourseRunRow, CourseRunTable, SeatRow } from './schema.js';

export interface RunFilter {
  keys?: string[];
  courseUuids?: string[];
  /** Runs not ended whose enrollment has not closed at this time (course-discovery's `active`). */
  activeAt?: Date;
  /** Only runs that are (true) or are not (false) marketable: published, of a marketable type, with seats. */
  marketable?: boolean;
}

function filtered(db: Executor, f: RunFilter) {
  let q = db.selectFrom('catalog_course_runs as r');
  const { keys, courseUuids } = f;
  if (keys) q = q.where((eb) => inList(eb, 'r.key', keys));
  if (courseUuids) q = q.where((eb) => inList(eb, 'r.course_uuid', courseUuids));
  const at = f.activeAt;
  if (at) {
    q = q.where((eb) =>
      eb.and([
        eb.or([eb('r.end', 'is', null), eb('r.end', '>', at)]),
        eb.or([eb('r.enrollment_end', 'is', null), eb('r.enrollment_end', '>', at)]),
      ]),
    );
  }
  if (f.marketable !== undefined) {
    const wanted = f.marketable;
    q = q.where((eb) => {
      const marketable = eb.and([
        eb('r.status', '=', 'published'),
        eb.exists(
          eb
            .selectFrom('catalog_run_types as rt')
            .select('rt.uuid')
            .whereRef('rt.uuid', '=', 'r.run_type_uuid')
            .where('rt.is_marketable', '=', true),
        ),
        eb.exists(
          eb.selectFrom('catalog_seats as s').select('s.uuid').whereRef('s.course_run_uuid', '=', 'r.uuid'),
        ),
      ]);
      return wanted ? marketable : eb.not(marketable);
    });
  }
  return q;
}

/** A page of the filtered runs, by key case-insensitively, and their number. */
export async function listRuns(db: Executor, f: RunFilter, window: PageWindow): Promise<Paged<CourseRunRow>> {
  return paged(
    db,
    filtered(db, f),
    (q) =>
      q
        .selectAll('r')
        .orderBy((eb) => eb.fn('lower', ['r.key']))
        .orderBy('r.key'),
    window,
  );
}

export async function getRunByKey(db: Executor, key: string): Promise<CourseRunRow | undefined> {
  return db.selectFrom('catalog_course_runs').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function getRunByUuid(db: Executor, uuid: string): Promise<CourseRunRow | undefined> {
  return db.selectFrom('catalog_course_runs').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getRunsByKeys(db: Executor, keys: string[]): Promise<CourseRunRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('catalog_course_runs').selectAll().where('key', 'in', keys).execute();
}

export async function getRunsByUuids(db: Executor, uuids: string[]): Promise<CourseRunRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('catalog_course_runs').selectAll().where('uuid', 'in', uuids).execute();
}

/** The runs of these courses, by start. */
export async function runsOfCourses(db: Executor, courseUuids: string[]): Promise<CourseRunRow[]> {
  if (courseUuids.length === 0) return [];
  return db
    .selectFrom('catalog_course_runs')
    .selectAll()
    .where('course_uuid', 'in', courseUuids)
    .orderBy('start')
    .orderBy('created')
    .orderBy('key')
    .execute();
}

/** Which of these keys are taken. */
export async function takenKeys(db: Executor, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('catalog_course_runs').select('key').where('key', 'in', keys).execute();
  return rows.map((r) => r.key);
}

export type NewRun = Omit<
  CourseRunRow,
  'created' | 'modified' | 'status' | 'reviewed_once' | 'hidden' | 'pacing_type'
> &
  Partial<Pick<CourseRunRow, 'status' | 'reviewed_once' | 'hidden' | 'pacing_type'>> & { now: Date };

/** Inserts a run; returns nothing when its key is taken. */
export async function insertRun(db: Executor, row: NewRun): Promise<CourseRunRow | undefined> {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_course_runs')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type RunPatch = Omit<
  Updateable<CourseRunTable>,
  'uuid' | 'key' | 'course_uuid' | 'created' | 'modified'
>;

export async function updateRun(
  db: Executor,
  uuid: string,
  patch: RunPatch,
  now: Date,
): Promise<CourseRunRow> {
  return db
    .updateTable('catalog_course_runs')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function seatsOfRuns(db: Executor, runUuids: string[]): Promise<SeatRow[]> {
  if (runUuids.length === 0) return [];
  return db
    .selectFrom('catalog_seats')
    .selectAll()
    .where('course_run_uuid', 'in', runUuids)
    .orderBy('created')
    .orderBy('seat_type')
    .execute();
}

export interface SeatWrite {
  uuid: string;
  course_run_uuid: string;
  seat_type: string;
  /** Undefined keeps an existing seat's price (a new seat costs 0). */
  price_cents?: number;
  currency?: string;
  upgrade_deadline: Date | null;
  upgrade_deadline_override: Date | null;
  now: Date;
}

/** Creates or updates the run's seat of `seat_type`. */
export async function upsertSeat(db: Executor, seat: SeatWrite): Promise<void> {
  const { now, price_cents, ...rest } = seat;
  await db
    .insertInto('catalog_seats')
    .values({
      ...rest,
      price_cents: price_cents ?? 0,
      credit_provider: null,
      credit_hours: null,
      sku: null,
      bulk_sku: null,
      created: now,
      modified: now,
    })
    .onConflict((oc) =>
      oc.columns(['course_run_uuid', 'seat_type']).doUpdateSet({
        ...(price_cents === undefined ? {} : { price_cents }),
        ...(seat.currency ? { currency: seat.currency } : {}),
        upgrade_deadline: seat.upgrade_deadline,
        upgrade_deadline_override: seat.upgrade_deadline_override,
        modified: now,
      }),
    )
    .execute();
}

/** Deletes the run's seats whose type is not in `keep`. */
export async function deleteSeatsExcept(db: Executor, runUuid: string, keep: string[]): Promise<void> {
  let q = db.deleteFrom('catalog_seats').where('course_run_uuid', '=', runUuid);
  if (keep.length) q = q.where('seat_type', 'not in', keep);
  await q.execute();
}
