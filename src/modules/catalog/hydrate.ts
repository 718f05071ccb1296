import type { Executor } from '../../database.js';
import { entitlementsOfCourses, getCoursesByUuids } from './courses.repository.js';
import { getOrganizationsByUuids } from './organizations.repository.js';
import { programsOfRuns } from './programs.repository.js';
import { runsOfCourses, seatsOfRuns } from './runs.repository.js';
import type { CourseRow, CourseRunRow, ProgramStatus } from './schema.js';
import type { TypeCatalogue } from './type-catalogue.js';
import {
  type CourseView,
  type RunProgramView,
  type RunView,
  toCourseView,
  toRunProgramView,
  toRunView,
} from './views.js';

/** Turns rows into API views with a fixed number of queries per list, whatever its length. */

export async function runViews(
  db: Executor,
  cat: TypeCatalogue,
  runs: CourseRunRow[],
  now: Date,
  options: { programStatuses?: ProgramStatus[]; courses?: CourseRow[] } = {},
): Promise<RunView[]> {
  const runUuids = runs.map((r) => r.uuid);
  const missingCourses = [...new Set(runs.map((r) => r.course_uuid))].filter(
    (uuid) => !options.courses?.some((c) => c.uuid === uuid),
  );
  const [seats, courses, programs] = await Promise.all([
    seatsOfRuns(db, runUuids),
    getCoursesByUuids(db, missingCourses),
    options.programStatuses ? programsOfRuns(db, runUuids, options.programStatuses) : Promise.resolve(null),
  ]);
  const courseBy = new Map([...(options.courses ?? []), ...courses].map((c) => [c.uuid, c]));
  return runs.map((run) => {
    const course = courseBy.get(run.course_uuid)!;
    const view = toRunView(run, {
      courseKey: course.key,
      courseTitle: course.title,
      seats: seats.filter((s) => s.course_run_uuid === run.uuid),
      cat,
      now,
    });
    if (programs) {
      view.programs = programs
        .filter((p) => p.course_run_uuid === run.uuid)
        .map((p) => toRunProgramView(p, cat));
    }
    return view;
  });
}

export async function courseViews(
  db: Executor,
  cat: TypeCatalogue,
  courses: CourseRow[],
  now: Date,
): Promise<CourseView[]> {
  const uuids = courses.map((c) => c.uuid);
  const [orgs, entitlements, runs] = await Promise.all([
    getOrganizationsByUuids(db, [...new Set(courses.map((c) => c.org_uuid))]),
    entitlementsOfCourses(db, uuids),
    runsOfCourses(db, uuids),
  ]);
  const [runs_, programs] = await Promise.all([
    runViews(db, cat, runs, now, { courses }),
    programsOfRuns(
      db,
      runs.map((r) => r.uuid),
      ['active'],
    ),
  ]);
  const runCourse = new Map(runs.map((r) => [r.uuid, r.course_uuid]));
  const programsOf = (courseUuid: string) => {
    const seen = new Map<string, RunProgramView>();
    for (const p of programs) {
      if (runCourse.get(p.course_run_uuid) === courseUuid && !seen.has(p.uuid))
        seen.set(p.uuid, toRunProgramView(p, cat));
    }
    return [...seen.values()];
  };
  return courses.map((course) =>
    toCourseView(course, {
      org: orgs.find((o) => o.uuid === course.org_uuid)!,
      entitlements: entitlements.filter((e) => e.course_uuid === course.uuid),
      runs: runs_.filter((r) => r.course_uuid === course.uuid),
      programs: programsOf(course.uuid),
      cat,
      now,
    }),
  );
}
