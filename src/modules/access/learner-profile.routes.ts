import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { learnerProfile } from './learner-profile.js';
import { learnerProfileQuery, learnerProfileView } from './learner-profile.schemas.js';

export const learnerProfileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/admin-view/learner_profile/',
    {
      schema: {
        tags: ['access'],
        summary:
          "One learner as the admin portal's People Management shows them: subscriptions (none), groups, enrollments (admins, operators)",
        querystring: learnerProfileQuery,
        response: { 200: learnerProfileView, ...errorResponses },
      },
    },
    async (request) =>
      learnerProfile(ctx, actor(request), {
        enterpriseCustomerUuid: request.query.enterprise_customer_uuid,
        lmsUserId: request.query.lms_user_id,
        userEmail: request.query.user_email,
      }),
  );
};
