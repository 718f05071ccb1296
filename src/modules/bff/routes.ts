import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { bffRequest, dashboardResponse, learnerBaseResponse } from './bff.schemas.js';
import { learnerBase, learnerDashboard } from './learner-portal.js';

/** enterprise-access's learner portal BFF (apps/api/v1/views/bffs/learner_portal.py), under /access. */
export const bffRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/api/v1/bffs/learner/dashboard/',
    {
      schema: {
        tags: ['bff'],
        summary: "The learner dashboard's context: customer, memberships, enrollments by status",
        body: bffRequest,
        response: { 200: dashboardResponse, ...errorResponses },
      },
    },
    async (request) => learnerDashboard(ctx, actor(request), request.body),
  );

  for (const [route, page] of [
    ['search', 'search'],
    ['academy', 'academy'],
    ['skills-quiz', 'skills quiz'],
  ] as const) {
    app.post(
      `/api/v1/bffs/learner/${route}/`,
      {
        schema: {
          tags: ['bff'],
          summary: `The learner ${page} page's context: customer, memberships, subsidies`,
          body: bffRequest,
          response: { 200: learnerBaseResponse, ...errorResponses },
        },
      },
      async (request) => learnerBase(ctx, actor(request), request.body),
    );
  }
};
