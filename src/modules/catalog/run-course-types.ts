import type { Executor } from '../../database.js';

export interface RunStartAndCourseType {
  start: Date | null;
  /** The slug of the run's course type (e.g. `executive-education-2u`). */
  courseType: string;
}

/** The start and course type slug of many runs, in one statement; unknown keys are left out. */
export async function runStartsAndCourseTypes(
  db: Executor,
  runKeys: string[],
): Promise<Map<string, RunStartAndCourseType>> {
  const keys = [...new Set(runKeys)];
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog_course_runs as r')
    .innerJoin('catalog_courses as c', 'c.uuid', 'r.course_uuid')
    .innerJoin('catalog_course_types as t', 't.uuid', 'c.course_type_uuid')
    .select(['r.key', 'r.start', 't.slug'])
    .where('r.key', 'in', keys)
    .execute();
  return new Map(rows.map((r) => [r.key, { start: r.start, courseType: r.slug }]));
}
