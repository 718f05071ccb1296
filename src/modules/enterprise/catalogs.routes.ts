import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { createCatalog, deleteCatalog, getCatalog, listCatalogs, updateCatalog } from './catalogs.js';
import { catalogContainsItems } from './contains.js';
import {
  catalogIn,
  catalogListQuery,
  catalogOut,
  catalogPatch,
  containsOut,
  containsQuery,
  contentKeys,
  uuidParams,
} from './enterprise.schemas.js';
import { toCatalog } from './views.js';

const tags = ['enterprise'];
const refusals = { ...errorResponses, 409: errorSchema };

export const catalogRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/enterprise-catalogs/',
    {
      schema: {
        tags,
        summary: 'Enterprise catalogs of the customers the caller administers (all for operators)',
        querystring: catalogListQuery,
        response: { 200: pageSchema(catalogOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listCatalogs(ctx, actor(request), {
        customerUuid: q.enterprise_customer,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(toCatalog));
    },
  );

  app.post(
    '/api/v1/enterprise-catalogs/',
    {
      schema: {
        tags,
        summary: 'Create an enterprise catalog with a content filter (operators)',
        body: catalogIn,
        response: { 201: catalogOut, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toCatalog(await createCatalog(ctx, actor(request), request.body))),
  );

  app.get(
    '/api/v1/enterprise-catalogs/:uuid/',
    {
      schema: {
        tags,
        summary: 'One enterprise catalog (admins of its customer, operators)',
        params: uuidParams,
        response: { 200: catalogOut, ...errorResponses },
      },
    },
    async (request) => toCatalog(await getCatalog(ctx, actor(request), request.params.uuid)),
  );

  app.patch(
    '/api/v1/enterprise-catalogs/:uuid/',
    {
      schema: {
        tags,
        summary: "Change a catalog's title or content filter (operators)",
        params: uuidParams,
        body: catalogPatch,
        response: { 200: catalogOut, ...refusals },
      },
    },
    async (request) => toCatalog(await updateCatalog(ctx, actor(request), request.params.uuid, request.body)),
  );

  app.delete(
    '/api/v1/enterprise-catalogs/:uuid/',
    {
      schema: {
        tags,
        summary: 'Delete an enterprise catalog (operators)',
        params: uuidParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await deleteCatalog(ctx, actor(request), request.params.uuid);
      return reply.status(204).send(null);
    },
  );

  // The admin portal asks v2 (one run key at a time, whether the budget's catalog holds a
  // restricted run); Campus has no restricted runs apart from its catalogs, so v2 answers as v1.
  for (const version of ['v1', 'v2']) {
    app.get(
      `/api/${version}/enterprise-catalogs/:uuid/contains_content_items/`,
      {
        schema: {
          tags,
          summary:
            'Per content key, whether the catalog contains it; contains_content_items is true iff all of them are in',
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
  }
};
