import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { Principal } from '../../shared/principal.js';
import { getCourseByKey, getProgramWithRuns, getRun, getRunByKey } from '../catalog/index.js';

/** The catalog as credentials needs it, read only through the catalog module's index. */

export interface ProgramRun {
  uuid: string;
  key: string;
  /** The run's certificate-relevant type (course-discovery's legacy `type`): verified, credit, ... */
  type: string | null;
  pacing: 'instructor_paced' | 'self_paced';
  excluded: boolean;
}

export interface ProgramCourse {
  uuid: string;
  key: string;
  title: string;
  school: string;
  /** Every run of the course, the program's excluded runs included (tagged). */
  runs: ProgramRun[];
}

export interface ProgramCatalog {
  uuid: string;
  title: string;
  typeSlug: string;
  typeName: string;
  status: 'unpublished' | 'active' | 'retired' | 'deleted';
  courses: ProgramCourse[];
  school: string;
}

const TYPE_NAMES: Record<string, string> = {
  xseries: 'XSeries',
  micromasters: 'MicroMasters',
  microbachelors: 'MicroBachelors',
  'professional-certificate': 'Professional Certificate',
  masters: 'Masters',
};

export function programTypeName(slug: string): string {
  return (
    (Object.hasOwn(TYPE_NAMES, slug) ? TYPE_NAMES[slug] : undefined) ??
    slug
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  );
}

/** A program with every run of its courses (excluded ones tagged); null when unknown. */
export async function loadProgram(
  ctx: AppContext,
  db: Executor,
  uuid: string,
): Promise<ProgramCatalog | null> {
  const program = await getProgramWithRuns(ctx, db, uuid);
  if (!program) return null;
  const excluded = new Set(program.excludedRunKeys);
  const courses: ProgramCourse[] = [];
  for (const c of program.courses) {
    const course = await getCourseByKey(ctx, db, c.key);
    if (!course) continue;
    courses.push({
      uuid: c.uuid,
      key: c.key,
      title: c.title,
      school: course.owners.map((o) => o.name).join(', '),
      runs: [...course.course_runs]
        .sort((a, b) => a.start.localeCompare(b.start))
        .map((r) => ({
          uuid: r.uuid,
          key: r.key,
          type: r.type,
          pacing: r.pacing_type,
          excluded: excluded.has(r.key),
        })),
    });
  }
  return {
    uuid: program.uuid,
    title: program.title,
    typeSlug: program.type,
    typeName: programTypeName(program.type),
    status: program.status,
    courses,
    school: [...new Set(courses.map((c) => c.school).filter(Boolean))].join(', '),
  };
}

export interface RunRef {
  uuid: string;
  key: string;
  courseUuid: string;
}

/** A run by key; null when the catalog does not hold it. */
export async function loadRun(ctx: AppContext, db: Executor, key: string): Promise<RunRef | null> {
  const run = await getRunByKey(ctx, db, key);
  return run ? { uuid: run.uuid, key: run.key, courseUuid: run.course_uuid } : null;
}

const system: Principal = {
  lmsUserId: 0,
  username: 'campus-credentials',
  email: null,
  isStaff: true,
  grants: [],
};

/**
 * The programs that count this run, i.e. those where it is not excluded: of any status, or only
 * those a records page lists (active and retired). Reads outside any transaction: call it before
 * opening one.
 */
export async function programsCountingRun(
  ctx: AppContext,
  key: string,
  which: 'any' | 'listed' = 'any',
): Promise<string[]> {
  try {
    const run = await getRun(ctx, system, key, {
      include_unpublished_programs: which === 'any',
      include_retired_programs: true,
      include_deleted_programs: which === 'any',
    });
    return [...new Set((run.programs ?? []).map((p) => p.uuid))];
  } catch {
    return [];
  }
}
