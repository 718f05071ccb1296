import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import type { Listed } from './course-types.js';
import { getCoursesByKeys, getCoursesByUuids } from './courses.repository.js';
import { runViews } from './hydrate.js';
import {
  coursesOfPrograms,
  deleteExcludedRuns,
  deleteProgramCourses,
  excludedRunsOfPrograms,
  getProgram as getRow,
  insertExcludedRuns,
  insertProgram,
  insertProgramCourses,
  listPrograms as listRows,
  updateProgram as updateRow,
} from './programs.repository.js';
import { getRunsByKeys, getRunsByUuids, runsOfCourses } from './runs.repository.js';
import type { ProgramRow, ProgramStatus } from './schema.js';
import { loadTypeCatalogue, type TypeCatalogue } from './type-catalogue.js';
import type { ProgramView } from './views.js';

export interface ProgramInput {
  title: string;
  /** A program type slug. */
  type: string;
  status?: ProgramStatus;
  marketing_slug?: string | null;
  /** Course keys, in program order. */
  courses: string[];
  /** Run keys of the program's courses that do not count as the program's runs. */
  excluded_course_runs: string[];
}

/** Programs with their courses, each with its runs minus the excluded ones, and the excluded keys. */
export async function programViews(
  db: Executor,
  cat: TypeCatalogue,
  programs: ProgramRow[],
  now: Date,
): Promise<ProgramView[]> {
  const uuids = programs.map((p) => p.uuid);
  const [links, exclusions] = await Promise.all([
    coursesOfPrograms(db, uuids),
    excludedRunsOfPrograms(db, uuids),
  ]);
  const courseUuids = [...new Set(links.map((l) => l.course_uuid))];
  const [courses, runs, excludedRuns] = await Promise.all([
    getCoursesByUuids(db, courseUuids),
    runsOfCourses(db, courseUuids),
    getRunsByUuids(db, [...new Set(exclusions.map((x) => x.course_run_uuid))]),
  ]);
  const runs_ = await runViews(db, cat, runs, now, { courses });
  return programs.map((p) => {
    const type = cat.programTypes.get(p.program_type_uuid)!;
    const excluded = new Set(
      exclusions.filter((x) => x.program_uuid === p.uuid).map((x) => x.course_run_uuid),
    );
    return {
      uuid: p.uuid,
      title: p.title,
      type: type.name,
      type_attrs: { uuid: type.uuid, slug: type.slug, coaching_supported: type.coaching_supported },
      status: p.status,
      marketing_slug: p.marketing_slug,
      courses: links
        .filter((l) => l.program_uuid === p.uuid)
        .map((l) => {
          const c = courses.find((x) => x.uuid === l.course_uuid)!;
          return {
            uuid: c.uuid,
            key: c.key,
            title: c.title,
            course_runs: runs_.filter((r) => r.course_uuid === c.uuid && !excluded.has(r.uuid)),
          };
        }),
      excluded_course_runs: excludedRuns
        .filter((r) => excluded.has(r.uuid))
        .map((r) => r.key)
        .sort(),
      applicable_seat_types: type.applicable_seat_types,
      created: p.created.toISOString(),
      modified: p.modified.toISOString(),
    };
  });
}

export async function listPrograms(
  ctx: AppContext,
  _actor: Principal,
  input: { uuids?: string[]; status?: ProgramStatus[]; types?: string[]; offset: number; limit: number },
): Promise<Listed<ProgramView>> {
  const db = ctx.db.kysely;
  const cat = await loadTypeCatalogue(db);
  const filter = {
    uuids: input.uuids,
    statuses: input.status,
    typeUuids: input.types?.flatMap((slug) => {
      const t = cat.programTypesBySlug.get(slug);
      return t ? [t.uuid] : [];
    }),
  };
  const { count, rows } = await listRows(db, filter, input);
  return { count, rows: await programViews(db, cat, rows, ctx.clock.now()) };
}

export async function getProgram(ctx: AppContext, _actor: Principal, uuid: string): Promise<ProgramView> {
  const db = ctx.db.kysely;
  const row = await getRow(db, uuid);
  if (!row) throw new NotFound('No program with this uuid.');
  const [view] = await programViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now());
  return view!;
}

/**
 * Resolves course keys and excluded run keys to uuids, refusing unknown ones and excluded runs
 * that are not runs of the program's courses.
 */
export async function resolveProgramContent(
  trx: Executor,
  courseKeys: string[],
  excludedKeys: string[],
): Promise<{ courseUuids: string[]; excludedRunUuids: string[] }> {
  const keys = [...new Set(courseKeys)];
  const courses = await getCoursesByKeys(trx, keys);
  const unknown = keys.filter((k) => !courses.some((c) => c.key === k));
  if (unknown.length) {
    throw ValidationFailed.field('courses', `Unknown courses: ${unknown.join(', ')}.`, 'unknown_course');
  }
  const runKeys = [...new Set(excludedKeys)];
  const runs = await getRunsByKeys(trx, runKeys);
  const unknownRuns = runKeys.filter((k) => !runs.some((r) => r.key === k));
  if (unknownRuns.length) {
    throw ValidationFailed.field(
      'excluded_course_runs',
      `Unknown course runs: ${unknownRuns.join(', ')}.`,
      'unknown_course_run',
    );
  }
  const foreign = runs.filter((r) => !courses.some((c) => c.uuid === r.course_uuid));
  if (foreign.length) {
    throw ValidationFailed.field(
      'excluded_course_runs',
      `Not runs of the program's courses: ${foreign.map((r) => r.key).join(', ')}.`,
      'excluded_run_not_in_program',
    );
  }
  return {
    courseUuids: keys.map((k) => courses.find((c) => c.key === k)!.uuid),
    excludedRunUuids: runs.map((r) => r.uuid),
  };
}

/** Replaces a program's courses and excluded runs. */
export async function replaceProgramContent(
  trx: Executor,
  programUuid: string,
  content: { courseUuids: string[]; excludedRunUuids: string[] },
): Promise<void> {
  await deleteExcludedRuns(trx, programUuid);
  await deleteProgramCourses(trx, programUuid);
  await insertProgramCourses(trx, programUuid, content.courseUuids);
  await insertExcludedRuns(trx, programUuid, content.excludedRunUuids);
}

function programType(cat: TypeCatalogue, slug: string) {
  const type = cat.programTypesBySlug.get(slug);
  if (!type) throw ValidationFailed.field('type', `Unknown program type "${slug}".`, 'unknown_program_type');
  return type;
}

export async function createProgram(
  ctx: AppContext,
  actor: Principal,
  input: ProgramInput,
): Promise<ProgramView> {
  requireRole(actor, 'catalog_admin');
  const uuid = ctx.ids.uuid();
  await ctx.db.transaction(async (trx) => {
    const type = programType(await loadTypeCatalogue(trx), input.type);
    const content = await resolveProgramContent(trx, input.courses, input.excluded_course_runs);
    await insertProgram(trx, {
      uuid,
      title: input.title,
      program_type_uuid: type.uuid,
      status: input.status ?? 'unpublished',
      marketing_slug: input.marketing_slug ?? null,
      now: ctx.clock.now(),
    });
    await replaceProgramContent(trx, uuid, content);
  });
  return getProgram(ctx, actor, uuid);
}

export async function updateProgram(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: Partial<ProgramInput>,
): Promise<ProgramView> {
  requireRole(actor, 'catalog_admin');
  await ctx.db.transaction(async (trx) => {
    const row = await getRow(trx, uuid);
    if (!row) throw new NotFound('No program with this uuid.');
    const cat = await loadTypeCatalogue(trx);
    const type = input.type !== undefined ? programType(cat, input.type) : undefined;
    if (input.courses !== undefined || input.excluded_course_runs !== undefined) {
      const [links, exclusions] = await Promise.all([
        coursesOfPrograms(trx, [uuid]),
        excludedRunsOfPrograms(trx, [uuid]),
      ]);
      const currentCourses = await getCoursesByUuids(
        trx,
        links.map((l) => l.course_uuid),
      );
      const courseKeys =
        input.courses ?? links.map((l) => currentCourses.find((c) => c.uuid === l.course_uuid)!.key);
      let excludedKeys = input.excluded_course_runs;
      if (excludedKeys === undefined) {
        // Kept exclusions: those of runs whose course stays in the program.
        const staying = new Set((await getCoursesByKeys(trx, courseKeys)).map((c) => c.uuid));
        excludedKeys = (
          await getRunsByUuids(
            trx,
            exclusions.map((x) => x.course_run_uuid),
          )
        )
          .filter((r) => staying.has(r.course_uuid))
          .map((r) => r.key);
      }
      await replaceProgramContent(trx, uuid, await resolveProgramContent(trx, courseKeys, excludedKeys));
    }
    await updateRow(
      trx,
      uuid,
      {
        title: input.title,
        program_type_uuid: type?.uuid,
        status: input.status,
        marketing_slug: input.marketing_slug,
      },
      ctx.clock.now(),
    );
  });
  return getProgram(ctx, actor, uuid);
}
