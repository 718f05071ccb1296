import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../http/module.js';
import { courseRecommendationRoutes } from './course-recommendations.routes.js';
import { courseReviewRoutes } from './course-review.routes.js';
import { courseRoutes } from './courses.routes.js';
import { programRoutes } from './programs.routes.js';
import { typeRoutes } from './types.routes.js';

/** Everything under /catalog, at course-discovery's paths. */
export const catalogRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await typeRoutes(app, options);
  await courseRoutes(app, options);
  await programRoutes(app, options);
  await courseReviewRoutes(app, options);
  await courseRecommendationRoutes(app, options);
};
