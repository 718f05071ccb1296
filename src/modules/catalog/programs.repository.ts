import type { Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { ProgramRow, ProgramStatus, ProgramTable } from './schema.js';

export interface ProgramFilter {
  uuids?: string[];
  statuses?: ProgramStatus[];
  typeUuids?: string[];
}

function filtered(db: Executor, f: ProgramFilter) {
  let q = db.selectFrom('catalog_programs');
  const { uuids, statuses, typeUuids } = f;
  if (uuids) q = q.where((eb) => inList(eb, 'uuid', uuids));
  if (statuses) q = q.where((eb) => inList(eb, 'status', statuses));
  if (typeUuids) q = q.where((eb) => inList(eb, 'program_type_uuid', typeUuids));
  return q;
}

/** A page of the filtered programs, oldest first, and their number. */
export async function listPrograms(
  db: Executor,
  f: ProgramFilter,
  window: PageWindow,
): Promise<Paged<ProgramRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created').orderBy('uuid'), window);
}

/** Programs by uuid, oldest first. */
export async function getProgramsByUuids(db: Executor, uuids: string[]): Promise<ProgramRow[]> {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('catalog_programs')
    .selectAll()
    .where('uuid', 'in', uuids)
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}

export async function getProgram(db: Executor, uuid: string): Promise<ProgramRow | undefined> {
  return db.selectFrom('catalog_programs').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Programs without a uuid in a dump are matched by title and type. */
export async function getProgramByTitle(
  db: Executor,
  title: string,
  programTypeUuid: string,
): Promise<ProgramRow | undefined> {
  return db
    .selectFrom('catalog_programs')
    .selectAll()
    .where('title', '=', title)
    .where('program_type_uuid', '=', programTypeUuid)
    .orderBy('created')
    .executeTakeFirst();
}

export async function insertProgram(
  db: Executor,
  row: Omit<ProgramRow, 'created' | 'modified'> & { now: Date },
): Promise<ProgramRow> {
  const { now, ...rest } = row;
  return db
    .insertInto('catalog_programs')
    .values({ ...rest, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateProgram(
  db: Executor,
  uuid: string,
  patch: Omit<Updateable<ProgramTable>, 'uuid' | 'created' | 'modified'>,
  now: Date,
): Promise<ProgramRow> {
  return db
    .updateTable('catalog_programs')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The courses of these programs, in program order. */
export async function coursesOfPrograms(
  db: Executor,
  programUuids: string[],
): Promise<{ program_uuid: string; course_uuid: string; position: number }[]> {
  if (programUuids.length === 0) return [];
  return db
    .selectFrom('catalog_program_courses')
    .selectAll()
    .where('program_uuid', 'in', programUuids)
    .orderBy('program_uuid')
    .orderBy('position')
    .execute();
}

export async function excludedRunsOfPrograms(
  db: Executor,
  programUuids: string[],
): Promise<{ program_uuid: string; course_run_uuid: string }[]> {
  if (programUuids.length === 0) return [];
  return db
    .selectFrom('catalog_program_excluded_runs')
    .selectAll()
    .where('program_uuid', 'in', programUuids)
    .execute();
}

export async function deleteProgramCourses(db: Executor, programUuid: string): Promise<void> {
  await db.deleteFrom('catalog_program_courses').where('program_uuid', '=', programUuid).execute();
}

export async function insertProgramCourses(
  db: Executor,
  programUuid: string,
  courseUuids: string[],
): Promise<void> {
  if (courseUuids.length === 0) return;
  await db
    .insertInto('catalog_program_courses')
    .values(
      courseUuids.map((course_uuid, position) => ({ program_uuid: programUuid, course_uuid, position })),
    )
    .execute();
}

export async function deleteExcludedRuns(db: Executor, programUuid: string): Promise<void> {
  await db.deleteFrom('catalog_program_excluded_runs').where('program_uuid', '=', programUuid).execute();
}

export async function insertExcludedRuns(
  db: Executor,
  programUuid: string,
  runUuids: string[],
): Promise<void> {
  if (runUuids.length === 0) return;
  await db
    .insertInto('catalog_program_excluded_runs')
    .values(runUuids.map((course_run_uuid) => ({ program_uuid: programUuid, course_run_uuid })))
    .execute();
}

/**
 * For each of these runs, the programs that hold its course and do not exclude it, in the given
 * statuses: a run's `programs`.
 */
export async function programsOfRuns(
  db: Executor,
  runUuids: string[],
  statuses: ProgramStatus[],
): Promise<(ProgramRow & { course_run_uuid: string; number_of_courses: number })[]> {
  if (runUuids.length === 0 || statuses.length === 0) return [];
  return db
    .selectFrom('catalog_course_runs as r')
    .innerJoin('catalog_program_courses as pc', 'pc.course_uuid', 'r.course_uuid')
    .innerJoin('catalog_programs as p', 'p.uuid', 'pc.program_uuid')
    .selectAll('p')
    .select('r.uuid as course_run_uuid')
    .select((eb) =>
      eb
        .selectFrom('catalog_program_courses as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.program_uuid', '=', 'p.uuid')
        .as('number_of_courses'),
    )
    .where('r.uuid', 'in', runUuids)
    .where('p.status', 'in', statuses)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('catalog_program_excluded_runs as x')
            .select('x.program_uuid')
            .whereRef('x.program_uuid', '=', 'p.uuid')
            .whereRef('x.course_run_uuid', '=', 'r.uuid'),
        ),
      ),
    )
    .orderBy('p.created')
    .orderBy('p.uuid')
    .execute() as Promise<(ProgramRow & { course_run_uuid: string; number_of_courses: number })[]>;
}
