import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import { catalogContentMetadata } from './catalog-content-metadata.js';
import { catalogContainsItems } from './contains.js';
import { containsOut, containsQuery, contentKeys, uuidParams } from './enterprise.schemas.js';

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

/** enterprise-catalog's paths the portals call beside the v1 catalog routes. */
export const catalogContentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  // The admin portal's budget pages ask, one run key at a time, whether the budget's catalog
  // holds a restricted run. Campus has no restricted runs apart from its catalog: v2 is v1.
  app.get(
    '/api/v2/enterprise-catalogs/:uuid/contains_content_items/',
    {
      schema: {
        tags,
        summary: 'v2 of contains_content_items (the same answer: Campus has no restricted runs)',
        params: uuidParams,
        querystring: containsQuery,
        response: { 200: containsOut, ...errorResponses },
      },
    },
    async (request) =>
      catalogContainsItems(ctx, actor(request), {
        catalogUuid: request.params.uuid,
        keys: contentKeys(request.query),
      }),
  );

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
