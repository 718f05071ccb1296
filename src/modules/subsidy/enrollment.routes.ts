import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import { listOwnEnrollments } from './enrollments.js';
import { unenroll } from './refund.js';
import { enrollmentView, uuidParam } from './subsidy.schemas.js';
import { enrollmentView as toEnrollmentView } from './views.js';

/** The LMS's enrollment endpoints Campus serves itself, under /enterprise. */
export const enrollmentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/enrollments/',
    {
      schema: {
        tags: ['subsidy'],
        summary: "The caller's enrollments paid with learner credit",
        querystring: paginationQuery,
        response: { 200: pageSchema(enrollmentView), ...errorResponses },
      },
    },
    async (request) => {
      const { count, rows } = await listOwnEnrollments(ctx, actor(request), pageWindow(request.query));
      return toPage(request, request.query, count, rows.map(toEnrollmentView));
    },
  );

  app.post(
    '/api/v1/enrollments/:uuid/unenroll/',
    {
      schema: {
        tags: ['subsidy'],
        summary: 'Unenroll; refunds the redemption inside the 14-day window',
        params: uuidParam,
        response: {
          200: z.object({
            enrollment: enrollmentView,
            refunded: z.boolean(),
            reversal_uuid: z.uuid().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await unenroll(ctx, actor(request), request.params.uuid);
      return {
        enrollment: toEnrollmentView(r.enrollment),
        refunded: r.refunded,
        reversal_uuid: r.reversal?.uuid ?? null,
      };
    },
  );
};
