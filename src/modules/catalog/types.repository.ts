import type { Executor } from '../../database.js';
import { type Paged, paged } from '../../db/paged.js';
import type { CourseTypeRow, ModeRow, ProgramTypeRow, RunTypeRow, SeatTypeRow, TrackRow } from './schema.js';

/** The tables of the type catalogue that list endpoints page through. */
export type TypeTable =
  | 'catalog_seat_types'
  | 'catalog_modes'
  | 'catalog_tracks'
  | 'catalog_run_types'
  | 'catalog_course_types'
  | 'catalog_program_types';

export interface Window {
  offset: number;
  limit: number;
}

// ---- whole-catalogue reads (a few dozen rows; loaded together for validation and mapping)

export async function allSeatTypes(db: Executor): Promise<SeatTypeRow[]> {
  return db.selectFrom('catalog_seat_types').selectAll().orderBy('created').orderBy('slug').execute();
}

export async function allModes(db: Executor): Promise<ModeRow[]> {
  return db.selectFrom('catalog_modes').selectAll().orderBy('created').orderBy('slug').execute();
}

export async function allTracks(db: Executor): Promise<TrackRow[]> {
  return db.selectFrom('catalog_tracks').selectAll().orderBy('created').orderBy('uuid').execute();
}

export async function allRunTypes(db: Executor): Promise<RunTypeRow[]> {
  return db.selectFrom('catalog_run_types').selectAll().orderBy('created').orderBy('uuid').execute();
}

/** Which of these run types are marketable. */
export async function marketableRunTypes(db: Executor, uuids: string[]): Promise<Set<string>> {
  if (uuids.length === 0) return new Set();
  const rows = await db
    .selectFrom('catalog_run_types')
    .select('uuid')
    .where('uuid', 'in', uuids)
    .where('is_marketable', '=', true)
    .execute();
  return new Set(rows.map((r) => r.uuid));
}

export async function allRunTypeTracks(
  db: Executor,
): Promise<{ run_type_uuid: string; track_uuid: string }[]> {
  return db
    .selectFrom('catalog_run_type_tracks')
    .innerJoin('catalog_tracks', 'catalog_tracks.uuid', 'catalog_run_type_tracks.track_uuid')
    .select(['catalog_run_type_tracks.run_type_uuid', 'catalog_run_type_tracks.track_uuid'])
    .orderBy('catalog_tracks.created')
    .orderBy('catalog_tracks.uuid')
    .execute();
}

export async function allCourseTypes(db: Executor): Promise<CourseTypeRow[]> {
  return db.selectFrom('catalog_course_types').selectAll().orderBy('created').orderBy('uuid').execute();
}

export async function allCourseTypeRunTypes(
  db: Executor,
): Promise<{ course_type_uuid: string; run_type_uuid: string; position: number }[]> {
  return db.selectFrom('catalog_course_type_run_types').selectAll().orderBy('position').execute();
}

export async function allCourseTypeEntitlementTypes(
  db: Executor,
): Promise<{ course_type_uuid: string; seat_type: string }[]> {
  return db.selectFrom('catalog_course_type_entitlement_types').selectAll().orderBy('seat_type').execute();
}

export async function allProgramTypes(db: Executor): Promise<ProgramTypeRow[]> {
  return db.selectFrom('catalog_program_types').selectAll().orderBy('created').orderBy('uuid').execute();
}

export async function allProgramTypeSeatTypes(
  db: Executor,
): Promise<{ program_type_uuid: string; seat_type: string }[]> {
  return db.selectFrom('catalog_program_type_seat_types').selectAll().orderBy('seat_type').execute();
}

// ---- paging through one table of the catalogue

/**
 * The keys (slug or uuid) of one page of a type table, in creation order, and the table's number
 * of rows; `exceptSlug` hides one row.
 */
export async function pageKeys(
  db: Executor,
  table: TypeTable,
  window: Window,
  exceptSlug?: string,
): Promise<Paged<string>> {
  const key = table === 'catalog_seat_types' || table === 'catalog_modes' ? 'slug' : 'uuid';
  let q = db.selectFrom(table);
  if (exceptSlug && table !== 'catalog_tracks') q = q.where('slug', '<>', exceptSlug);
  const page = await paged(db, q, (q) => q.select(`${key} as key`).orderBy('created').orderBy(key), window);
  return { count: page.count, rows: page.rows.map((r) => r.key) };
}

// ---- writes

export async function insertSeatType(db: Executor, row: { slug: string; name: string; now: Date }) {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_seat_types')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function insertMode(db: Executor, row: Omit<ModeRow, 'created' | 'modified'> & { now: Date }) {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_modes')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function insertTrack(
  db: Executor,
  row: { uuid: string; mode: string; seat_type: string | null; now: Date },
) {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_tracks')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function insertRunType(
  db: Executor,
  row: { uuid: string; name: string; slug: string; is_marketable: boolean; now: Date },
) {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_run_types')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function insertRunTypeTracks(db: Executor, runTypeUuid: string, trackUuids: string[]) {
  if (trackUuids.length === 0) return;
  await db
    .insertInto('catalog_run_type_tracks')
    .values(trackUuids.map((track_uuid) => ({ run_type_uuid: runTypeUuid, track_uuid })))
    .execute();
}

export async function insertCourseType(
  db: Executor,
  row: { uuid: string; name: string; slug: string; now: Date },
) {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_course_types')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function insertCourseTypeRunTypes(db: Executor, courseTypeUuid: string, runTypeUuids: string[]) {
  if (runTypeUuids.length === 0) return;
  await db
    .insertInto('catalog_course_type_run_types')
    .values(
      runTypeUuids.map((run_type_uuid, position) => ({
        course_type_uuid: courseTypeUuid,
        run_type_uuid,
        position,
      })),
    )
    .execute();
}

export async function insertCourseTypeEntitlementTypes(
  db: Executor,
  courseTypeUuid: string,
  seatTypes: string[],
) {
  if (seatTypes.length === 0) return;
  await db
    .insertInto('catalog_course_type_entitlement_types')
    .values(seatTypes.map((seat_type) => ({ course_type_uuid: courseTypeUuid, seat_type })))
    .execute();
}
