import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { programViews, replaceProgramContent, resolveProgramContent } from './programs.js';
import { getProgram, getProgramByTitle, insertProgram, updateProgram } from './programs.repository.js';
import type { ProgramStatus } from './schema.js';
import { catalogueOf, type UpsertResult, type WriteDeps } from './upsert-common.js';

export interface ProgramUpsert {
  /** Matched by uuid when given, otherwise by title and type. */
  uuid?: string | null;
  title: string;
  /** A program type slug. */
  type: string;
  status?: ProgramStatus;
  /** Course keys, in program order; every course must exist. */
  courses: string[];
  /** Run keys of the program's courses. */
  excludedCourseRuns: string[];
}

/** Get-or-create a program; its courses and excluded runs become exactly the given ones. */
export async function upsertProgram(deps: WriteDeps, trx: Trx, input: ProgramUpsert): Promise<UpsertResult> {
  const cat = await catalogueOf(trx);
  const type = cat.programTypesBySlug.get(input.type);
  if (!type)
    throw ValidationFailed.field('type', `Unknown program type "${input.type}".`, 'unknown_program_type');
  const content = await resolveProgramContent(trx, input.courses, input.excludedCourseRuns);
  const now = deps.clock.now();
  const status = input.status ?? 'active';
  const existing = input.uuid
    ? await getProgram(trx, input.uuid)
    : await getProgramByTitle(trx, input.title, type.uuid);
  if (!existing) {
    const row = await insertProgram(trx, {
      uuid: input.uuid ?? deps.ids.uuid(),
      title: input.title,
      program_type_uuid: type.uuid,
      status,
      marketing_slug: null,
      now,
    });
    await replaceProgramContent(trx, row.uuid, content);
    return { outcome: 'created', uuid: row.uuid };
  }
  const [view] = await programViews(trx, cat, [existing], now);
  const sameContent =
    JSON.stringify(view!.courses.map((c) => c.key)) === JSON.stringify([...new Set(input.courses)]) &&
    JSON.stringify(view!.excluded_course_runs) ===
      JSON.stringify([...new Set(input.excludedCourseRuns)].sort());
  const sameFields =
    existing.title === input.title && existing.program_type_uuid === type.uuid && existing.status === status;
  if (sameContent && sameFields) return { outcome: 'unchanged', uuid: existing.uuid };
  if (!sameFields) {
    await updateProgram(
      trx,
      existing.uuid,
      { title: input.title, program_type_uuid: type.uuid, status },
      now,
    );
  }
  if (!sameContent) await replaceProgramContent(trx, existing.uuid, content);
  return { outcome: 'updated', uuid: existing.uuid };
}
