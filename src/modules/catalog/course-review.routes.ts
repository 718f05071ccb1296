import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { getCourseReview } from './course-review.js';

const courseReviewParams = z.object({ course_key: z.string().min(1).max(255) });

/** course-discovery's serializer: decimals as strings, the goal by its display name. */
const courseReviewOut = z.object({
  course_key: z.string(),
  reviews_count: z.number().int(),
  avg_course_rating: z.string(),
  confident_learners_percentage: z.string(),
  most_common_goal: z.string(),
  most_common_goal_learners_percentage: z.string(),
  total_enrollments: z.number().int(),
});

export const courseReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/course_review/:course_key/',
    {
      schema: {
        tags: ['catalog'],
        summary:
          "A course's learner-survey review (signed-in users); 404 course_review_not_found for every known course: Campus runs no surveys",
        params: courseReviewParams,
        response: { 200: courseReviewOut, ...errorResponses },
      },
    },
    async (request) => getCourseReview(ctx, actor(request), request.params.course_key),
  );
};
