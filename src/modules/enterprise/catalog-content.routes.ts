import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import { catalogContentMetadata } from './catalog-content-metadata.js';
import { uuidParams } from './enterprise.schemas.js';

const tags = ['enterprise'];

/** One item of a catalog's content: a course or a program as the catalog API shows it. */
const contentItemOut = z
  .object({
    content_type: z.enum(['course', 'program']),
    uuid: z.string(),
    title: z.string(),
    key: z.string().optional(),
  })
  .loose();

/** enterprise-catalog's content listing, which the admin portal calls beside the catalog routes. */
export const catalogContentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/enterprise-catalogs/:uuid/get_content_metadata/',
    {
      schema: {
        tags,
        summary: "A page of the catalog's content: courses, then programs (its admins and learners)",
        params: uuidParams,
        querystring: paginationQuery,
        response: { 200: pageSchema(contentItemOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await catalogContentMetadata(ctx, actor(request), {
        catalogUuid: request.params.uuid,
        ...pageWindow(q),
      });
      return toPage(request, q, count, results);
    },
  );
};
