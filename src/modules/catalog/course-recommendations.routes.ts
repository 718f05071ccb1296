import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { getCourseRecommendations } from './course-recommendations.js';

const recommendation = z.object({ key: z.string(), uuid: z.uuid(), title: z.string() });

export const courseRecommendationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/taxonomy/api/v1/course_recommendations/:course_key/',
    {
      schema: {
        tags: ['catalog'],
        summary:
          'Courses recommended beside a course (signed-in users); always empty lists: Campus keeps no skills to recommend by',
        params: z.object({ course_key: z.string().min(1).max(255) }),
        response: {
          200: z.object({
            course_key: z.string(),
            all_recommendations: z.array(recommendation),
            same_partner_recommendations: z.array(recommendation),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getCourseRecommendations(ctx, actor(request), request.params.course_key),
  );
};
