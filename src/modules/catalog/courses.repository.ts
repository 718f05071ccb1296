import type { Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CourseRow, CourseTable, EntitlementRow } from './schema.js';

export interface CourseFilter {
  keys?: string[];
  uuids?: string[];
  courseTypeUuids?: string[];
  /** A substring of the title or key, case-insensitive. */
  q?: string;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(db: Executor, f: CourseFilter) {
  let q = db.selectFrom('catalog_courses');
  const { keys, uuids, courseTypeUuids } = f;
  if (keys) q = q.where((eb) => inList(eb, 'key', keys));
  if (uuids) q = q.where((eb) => inList(eb, 'uuid', uuids));
  if (courseTypeUuids) q = q.where((eb) => inList(eb, 'course_type_uuid', courseTypeUuids));
  if (f.q) {
    const pattern = `%${likeEscape(f.q.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([eb(eb.fn('lower', ['title']), 'like', pattern), eb(eb.fn('lower', ['key']), 'like', pattern)]),
    );
  }
  return q;
}

/** A page of the filtered courses, by key, and their number. */
export async function listCourses(
  db: Executor,
  f: CourseFilter,
  window: PageWindow,
): Promise<Paged<CourseRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('key'), window);
}

export async function getCourseByKey(db: Executor, key: string): Promise<CourseRow | undefined> {
  return db.selectFrom('catalog_courses').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function getCourseByUuid(db: Executor, uuid: string): Promise<CourseRow | undefined> {
  return db.selectFrom('catalog_courses').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** The course row, locked until the transaction ends (writes to a course and its runs serialize on it). */
export async function lockCourse(db: Executor, uuid: string): Promise<CourseRow | undefined> {
  return db.selectFrom('catalog_courses').selectAll().where('uuid', '=', uuid).forUpdate().executeTakeFirst();
}

export async function getCoursesByKeys(db: Executor, keys: string[]): Promise<CourseRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('catalog_courses').selectAll().where('key', 'in', keys).execute();
}

export async function getCoursesByUuids(db: Executor, uuids: string[]): Promise<CourseRow[]> {
  if (uuids.length === 0) return [];
  return db.selectFrom('catalog_courses').selectAll().where('uuid', 'in', uuids).execute();
}

export type NewCourse = Omit<CourseRow, 'created' | 'modified' | 'status' | 'reviewed_once'> &
  Partial<Pick<CourseRow, 'status' | 'reviewed_once'>> & { now: Date };

/** Inserts a course; returns nothing when its key is taken. */
export async function insertCourse(db: Executor, row: NewCourse): Promise<CourseRow | undefined> {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_courses')
    .values({ ...rest, created: now, modified: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type CoursePatch = Omit<Updateable<CourseTable>, 'uuid' | 'key' | 'created' | 'modified'>;

export async function updateCourse(
  db: Executor,
  uuid: string,
  patch: CoursePatch,
  now: Date,
): Promise<CourseRow> {
  return db
    .updateTable('catalog_courses')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function entitlementsOfCourses(db: Executor, courseUuids: string[]): Promise<EntitlementRow[]> {
  if (courseUuids.length === 0) return [];
  return db
    .selectFrom('catalog_entitlements')
    .selectAll()
    .where('course_uuid', 'in', courseUuids)
    .orderBy('created')
    .orderBy('mode')
    .execute();
}

/**
 * Creates the course's entitlement in `mode`, or updates its price when `price_cents` is given;
 * without a price an existing entitlement keeps its own and a new one costs 0.
 */
export async function upsertEntitlement(
  db: Executor,
  row: {
    uuid: string;
    course_uuid: string;
    mode: string;
    price_cents?: number;
    currency?: string;
    now: Date;
  },
): Promise<void> {
  const { now, price_cents, ...rest } = row;
  await db
    .insertInto('catalog_entitlements')
    .values({ ...rest, price_cents: price_cents ?? 0, sku: null, created: now, modified: now })
    .onConflict((oc) =>
      price_cents === undefined
        ? oc.columns(['course_uuid', 'mode']).doNothing()
        : oc.columns(['course_uuid', 'mode']).doUpdateSet({ price_cents, modified: now }),
    )
    .execute();
}

/** Deletes the course's entitlements whose mode is not in `keep`. */
export async function deleteEntitlementsExcept(
  db: Executor,
  courseUuid: string,
  keep: string[],
): Promise<void> {
  let q = db.deleteFrom('catalog_entitlements').where('course_uuid', '=', courseUuid);
  if (keep.length) q = q.where('mode', 'not in', keep);
  await q.execute();
}
