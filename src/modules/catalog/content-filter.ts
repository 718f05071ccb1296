import type { Executor } from '../../database.js';

/**
 * Enterprise content filters evaluated against the catalog. A filter is an object whose keys are
 * the fields below and whose values are a value or a list of values; a record matches when every
 * key matches (a list matches when the record's field equals one of its values).
 *
 * Records are courses, course runs and programs, with these fields:
 * - `content_type`: `course`, `courserun` or `program`
 * - `key`: the course key, the run key, or the program uuid
 * - `uuid`: the record's uuid
 * - `aggregation_key`: `course:<course key>` for a course and for its runs (course-discovery's
 *   `courserun:<course key>` is accepted as well), `program:<uuid>` for a program
 * - `org`: the organization key of the course (of the run's course)
 * - `course_type`: the course type slug (of the run's course)
 * - `run_type`: the run type slug (runs only)
 * - `pacing_type`: `instructor_paced` or `self_paced` (runs only)
 * - `product_source`: the course's product source (of the run's course)
 * - `program_type`: the program type slug (programs only)
 *
 * Membership is computed, not copied: a course key is in when the course or any of its runs
 * matches; a run key is in when the run or its course matches; a program uuid when the program
 * matches. Unknown keys are not in.
 */
export const CONTENT_FILTER_FIELDS = [
  'content_type',
  'key',
  'uuid',
  'aggregation_key',
  'org',
  'course_type',
  'run_type',
  'pacing_type',
  'product_source',
  'program_type',
] as const;
export type ContentFilterField = (typeof CONTENT_FILTER_FIELDS)[number];

type ContentRecord = Partial<Record<ContentFilterField, string | string[] | null>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function wanted(value: unknown): string[] | null {
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    return null;
  return values.map(String);
}

/** True when every key of the filter matches the record; an unknown key or bad value matches nothing. */
function matches(filter: Record<string, unknown>, record: ContentRecord): boolean {
  return Object.entries(filter).every(([field, value]) => {
    if (!(CONTENT_FILTER_FIELDS as readonly string[]).includes(field)) return false;
    const values = wanted(value);
    if (!values) return false;
    const have = record[field as ContentFilterField];
    if (have === undefined || have === null) return false;
    return (Array.isArray(have) ? have : [have]).some((h) => values.includes(h));
  });
}

async function coursesFor(db: Executor, keys: string[]) {
  return db
    .selectFrom('catalog_courses as c')
    .innerJoin('catalog_organizations as o', 'o.uuid', 'c.org_uuid')
    .innerJoin('catalog_course_types as ct', 'ct.uuid', 'c.course_type_uuid')
    .select(['c.uuid', 'c.key', 'c.product_source', 'o.key as org', 'ct.slug as course_type'])
    .where((eb) =>
      eb.or([
        eb('c.key', 'in', keys),
        eb(
          'c.uuid',
          'in',
          eb.selectFrom('catalog_course_runs').select('course_uuid').where('key', 'in', keys),
        ),
      ]),
    )
    .execute();
}

async function runsOf(db: Executor, courseUuids: string[]) {
  if (courseUuids.length === 0) return [];
  return db
    .selectFrom('catalog_course_runs as r')
    .innerJoin('catalog_run_types as rt', 'rt.uuid', 'r.run_type_uuid')
    .select(['r.uuid', 'r.key', 'r.course_uuid', 'r.pacing_type', 'rt.slug as run_type'])
    .where('r.course_uuid', 'in', courseUuids)
    .execute();
}

async function programsFor(db: Executor, uuids: string[]) {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('catalog_programs as p')
    .innerJoin('catalog_program_types as pt', 'pt.uuid', 'p.program_type_uuid')
    .select(['p.uuid', 'pt.slug as program_type'])
    .where('p.uuid', 'in', uuids)
    .execute();
}

/**
 * For each key (course key, run key or program uuid), whether it is in the content the filter
 * selects. Three queries whatever the number of keys.
 */
export async function matchContentKeys(
  db: Executor,
  filter: Record<string, unknown>,
  keys: string[],
): Promise<Record<string, boolean>> {
  const [answer] = await matchContentKeysForFilters(db, [filter], keys);
  return answer ?? Object.fromEntries(keys.map((k) => [k, false]));
}

/**
 * The same answer for several filters at once (a customer's catalogs, the catalogs of several
 * policies): the content is loaded once, in three queries, whatever the number of filters or keys.
 */
export async function matchContentKeysForFilters(
  db: Executor,
  filters: Array<Record<string, unknown>>,
  keys: string[],
): Promise<Array<Record<string, boolean>>> {
  const distinct = [...new Set(keys)];
  if (distinct.length === 0 || filters.length === 0) {
    return filters.map(() => Object.fromEntries(keys.map((k) => [k, false])));
  }
  const courses = await coursesFor(db, distinct);
  const runs = await runsOf(
    db,
    courses.map((c) => c.uuid),
  );
  const programs = await programsFor(
    db,
    distinct.filter((k) => UUID.test(k)).map((k) => k.toLowerCase()),
  );
  return filters.map((filter) => evaluate(filter, { courses, runs, programs }, keys, distinct));
}

function evaluate(
  filter: Record<string, unknown>,
  content: {
    courses: Awaited<ReturnType<typeof coursesFor>>;
    runs: Awaited<ReturnType<typeof runsOf>>;
    programs: Awaited<ReturnType<typeof programsFor>>;
  },
  keys: string[],
  distinct: string[],
): Record<string, boolean> {
  const { courses, runs, programs } = content;
  const result: Record<string, boolean> = Object.fromEntries(keys.map((k) => [k, false]));
  const courseMatches = new Map<string, boolean>();
  for (const c of courses) {
    courseMatches.set(
      c.uuid,
      matches(filter, {
        content_type: 'course',
        key: c.key,
        uuid: c.uuid,
        aggregation_key: `course:${c.key}`,
        org: c.org,
        course_type: c.course_type,
        product_source: c.product_source,
      }),
    );
  }
  const courseByUuid = new Map(courses.map((c) => [c.uuid, c]));
  const runMatches = new Map<string, boolean>();
  for (const r of runs) {
    const c = courseByUuid.get(r.course_uuid);
    if (!c) continue;
    runMatches.set(
      r.uuid,
      matches(filter, {
        content_type: 'courserun',
        key: r.key,
        uuid: r.uuid,
        aggregation_key: [`course:${c.key}`, `courserun:${c.key}`],
        org: c.org,
        course_type: c.course_type,
        run_type: r.run_type,
        pacing_type: r.pacing_type,
        product_source: c.product_source,
      }),
    );
  }

  const courseIn = new Map<string, boolean>();
  for (const c of courses) {
    courseIn.set(
      c.key,
      courseMatches.get(c.uuid) === true ||
        runs.some((r) => r.course_uuid === c.uuid && runMatches.get(r.uuid) === true),
    );
  }
  const runIn = new Map<string, boolean>();
  for (const r of runs) {
    runIn.set(r.key, runMatches.get(r.uuid) === true || courseMatches.get(r.course_uuid) === true);
  }
  const programIn = new Map<string, boolean>();
  for (const p of programs) {
    programIn.set(
      p.uuid,
      matches(filter, {
        content_type: 'program',
        key: p.uuid,
        uuid: p.uuid,
        aggregation_key: `program:${p.uuid}`,
        program_type: p.program_type,
      }),
    );
  }

  for (const key of distinct) {
    result[key] = runIn.get(key) ?? courseIn.get(key) ?? programIn.get(key.toLowerCase()) ?? false;
  }
  return result;
}
