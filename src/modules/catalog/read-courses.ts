import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import type { Listed } from './course-types.js';
import { getCourseByKey, getCourseByUuid, listCourses as listRows } from './courses.repository.js';
import { courseViews } from './hydrate.js';
import { isUuid } from './lookup-keys.js';
import { loadTypeCatalogue } from './type-catalogue.js';
import type { CourseView } from './views.js';

export async function listCourses(
  ctx: AppContext,
  _actor: Principal,
  input: {
    keys?: string[];
    uuids?: string[];
    course_type?: string;
    q?: string;
    offset: number;
    limit: number;
  },
): Promise<Listed<CourseView>> {
  const db = ctx.db.kysely;
  const cat = await loadTypeCatalogue(db);
  const typeUuid = input.course_type ? cat.courseTypesBySlug.get(input.course_type)?.uuid : undefined;
  const filter = {
    keys: input.keys,
    uuids: input.uuids,
    courseTypeUuids: input.course_type ? (typeUuid ? [typeUuid] : []) : undefined,
    q: input.q?.trim() || undefined,
  };
  const { count, rows } = await listRows(db, filter, input);
  return { count, rows: await courseViews(db, cat, rows, ctx.clock.now()) };
}

/** One course by key (`edX+DemoX`) or uuid, with its runs and entitlements. */
export async function getCourse(ctx: AppContext, _actor: Principal, keyOrUuid: string): Promise<CourseView> {
  const db = ctx.db.kysely;
  const row = isUuid(keyOrUuid) ? await getCourseByUuid(db, keyOrUuid) : await getCourseByKey(db, keyOrUuid);
  if (!row) throw new NotFound('No course with this key.');
  const [view] = await courseViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now());
  return view!;
}
