import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema } from '../../http/pagination.js';
import { noneForAdmins, noneForReaders, refuseCuration } from './highlights.js';

const tags = ['enterprise'];
const emptyList = pageSchema(z.object({ uuid: z.uuid() }));
const byCustomer = z.object({
  enterprise_customer: z.uuid().optional(),
  lang: z.string().max(16).optional(),
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(100).optional(),
});
const lowerUuid = (u: string | undefined) => u?.toLowerCase();

/** enterprise-catalog's highlights and academies: Campus has none (highlights.ts says why). */
export const highlightRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const readerList = (url: string, summary: string) =>
    app.get(
      url,
      { schema: { tags, summary, querystring: byCustomer, response: { 200: emptyList, ...errorResponses } } },
      async (request) => noneForReaders(ctx, actor(request), lowerUuid(request.query.enterprise_customer)),
    );
  readerList(
    '/api/v1/enterprise-curations/',
    "A customer's content-highlight curation (its learners and admins): always none, Campus keeps no highlights",
  );
  readerList(
    '/api/v1/highlight-sets/',
    "A customer's highlight sets (its learners and admins): always none, Campus keeps no highlights",
  );
  // The learner portal asks without the trailing slash (services/academies.ts): Campus, like DRF,
  // answers a path with or without it.
  readerList(
    '/api/v1/academies/',
    "A customer's academies (its learners and admins): always none, Campus keeps no academies",
  );

  app.get(
    '/api/v1/enterprise-curations-admin/',
    {
      schema: {
        tags,
        summary: "A customer's curation as its admins manage it: always none, Campus keeps no highlights",
        querystring: byCustomer,
        response: { 200: emptyList, ...errorResponses },
      },
    },
    async (request) => noneForAdmins(actor(request), lowerUuid(request.query.enterprise_customer)),
  );

  app.post(
    '/api/v1/enterprise-curations-admin/',
    {
      schema: {
        tags,
        summary:
          'Create a content-highlight curation: refused to the admins with 422 content_highlights_not_supported',
        body: z.object({ enterprise_customer: z.uuid() }).passthrough(),
        response: errorResponses,
      },
    },
    async (request) => refuseCuration(actor(request), request.body.enterprise_customer.toLowerCase()),
  );
};
