import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { getCourseByKey } from './courses.repository.js';

/** course-discovery's CourseReview: learner-survey statistics of one course. */
export interface CourseReview {
  course_key: string;
  reviews_count: number;
  avg_course_rating: string;
  confident_learners_percentage: string;
  most_common_goal: string;
  most_common_goal_learners_percentage: string;
  total_enrollments: number;
}

/**
 * `GET course_review/{course key}/`. course-discovery fills reviews from outcome surveys; Campus
 * runs no surveys, so no course has one, and the answer is the reference's for a course without a
 * review: 404. The learner portal treats exactly that 404 as "no reviews" (hides the section and
 * does not log it); a 200 of zeros would show learners "0 learners took this course" and a 0-star
 * rating, and nulls would break the page. The two 404s say which case it is: `course_not_found`
 * for a key the catalog does not know, `course_review_not_found` for a known course.
 */
export async function getCourseReview(
  ctx: AppContext,
  _actor: Principal,
  courseKey: string,
): Promise<CourseReview> {
  const course = await getCourseByKey(ctx.db.kysely, courseKey);
  if (!course) throw new NotFound(`No course with key ${courseKey}.`, 'course_not_found');
  throw new NotFound(
    `Course ${course.key} has no review: Campus collects no learner surveys.`,
    'course_review_not_found',
  );
}
