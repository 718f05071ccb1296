import type { AppContext } from '../../context.js';
import { matchContentKeys } from './content-filter.js';
import { allCourseKeys, allProgramUuids } from './content-keys.repository.js';
import { getCoursesByKeys } from './courses.repository.js';
import { courseViews } from './hydrate.js';
import { programViews } from './programs.js';
import { getProgramsByUuids } from './programs.repository.js';
import { loadTypeCatalogue } from './type-catalogue.js';
import type { CourseView, ProgramView } from './views.js';

export type FilterContentItem =
  | (CourseView & { content_type: 'course' })
  | (ProgramView & { content_type: 'program' });

/** Keys per membership query: well under PostgreSQL's 65,535 bind parameters (each key binds twice). */
const CHUNK = 5_000;

/**
 * The courses (in key order) and then the programs (in uuid order) that an enterprise content
 * filter selects, one page of them hydrated as the catalog API shows them. Membership is
 * `matchContentKeys`'s, so a course is in when it or any of its runs matches — the same answer as
 * contains_content_items. It reads every key once per call: fine for catalogs of thousands of
 * courses; a larger catalog wants a materialized membership table.
 */
export async function contentOfFilter(
  ctx: AppContext,
  filter: Record<string, unknown>,
  page: { offset: number; limit: number },
): Promise<{ count: number; results: FilterContentItem[] }> {
  const db = ctx.db.kysely;
  const [courseKeys, programUuids] = await Promise.all([allCourseKeys(db), allProgramUuids(db)]);
  const candidates = [...courseKeys, ...programUuids];
  const inFilter = new Set<string>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const answer = await matchContentKeys(db, filter, chunk);
    for (const key of chunk) if (answer[key]) inFilter.add(key);
  }
  const courses = courseKeys.filter((k) => inFilter.has(k));
  const programs = programUuids.filter((u) => inFilter.has(u));
  const ordered = [
    ...courses.map((key) => ({ key, course: true })),
    ...programs.map((key) => ({ key, course: false })),
  ];
  const slice = ordered.slice(page.offset, page.offset + page.limit);
  const cat = await loadTypeCatalogue(db);
  const now = ctx.clock.now();
  const courseKeysOnPage = slice.filter((s) => s.course).map((s) => s.key);
  const programUuidsOnPage = slice.filter((s) => !s.course).map((s) => s.key);
  const [courseRows, programRows] = await Promise.all([
    getCoursesByKeys(db, courseKeysOnPage),
    getProgramsByUuids(db, programUuidsOnPage),
  ]);
  const [courseViewList, programViewList] = await Promise.all([
    courseViews(db, cat, courseRows, now),
    programViews(db, cat, programRows, now),
  ]);
  const byKey = new Map<string, FilterContentItem>([
    ...courseViewList.map((v) => [v.key, { ...v, content_type: 'course' as const }] as const),
    ...programViewList.map((v) => [v.uuid, { ...v, content_type: 'program' as const }] as const),
  ]);
  return {
    count: ordered.length,
    results: slice.flatMap((s) => {
      const item = byKey.get(s.key);
      return item ? [item] : [];
    }),
  };
}
