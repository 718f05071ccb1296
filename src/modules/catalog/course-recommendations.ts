import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { getCourseByKey } from './courses.repository.js';

/** course-discovery's taxonomy recommendations of one course. */
export interface CourseRecommendations {
  course_key: string;
  all_recommendations: Array<{ key: string; uuid: string; title: string }>;
  same_partner_recommendations: Array<{ key: string; uuid: string; title: string }>;
}

/**
 * `GET taxonomy/api/v1/course_recommendations/{course key}/`. course-discovery recommends from
 * skills that taxonomy-connector extracts; Campus keeps no skills, so a known course has none to
 * recommend: the empty lists the learner portal treats as "no recommendations" (it hides the
 * section). An unknown key is 404, as there.
 */
export async function getCourseRecommendations(
  ctx: AppContext,
  _actor: Principal,
  courseKey: string,
): Promise<CourseRecommendations> {
  const course = await getCourseByKey(ctx.db.kysely, courseKey);
  if (!course) throw new NotFound(`No course with key ${courseKey}.`, 'course_not_found');
  return { course_key: course.key, all_recommendations: [], same_partner_recommendations: [] };
}
