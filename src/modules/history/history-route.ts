import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import type { Principal } from '../../shared/principal.js';
import type { ChangeView } from './change-history.js';
import { changeOut } from './history.schemas.js';

/**
 * Mounts `GET <url>` (a path whose last parameter is `:uuid`) answering one record's change
 * history as a page. `read` belongs to the module that owns the record: it authorizes the caller.
 */
export function historyRoute(
  app: FastifyInstance,
  options: {
    url: string;
    /** The path's other parameters, all uuids (each is documented in /openapi.json). */
    parents?: string[];
    tag: string;
    what: string;
    read(
      actor: Principal,
      input: { params: Record<string, string>; offset: number; limit: number },
    ): Promise<{ count: number; rows: ChangeView[] }>;
  },
): void {
  const params = z.object({
    uuid: z.uuid(),
    ...Object.fromEntries((options.parents ?? []).map((name) => [name, z.uuid()])),
  });
  app.withTypeProvider<ZodTypeProvider>().get(
    options.url,
    {
      schema: {
        tags: [options.tag],
        summary: `The change history of ${options.what} (who, when, what, why), newest first; its enterprise's admins and operators`,
        // Every parameter of these paths is a uuid: refuse anything else before it reaches SQL.
        params,
        querystring: paginationQuery,
        response: { 200: pageSchema(changeOut), ...errorResponses },
      },
    },
    async (request) => {
      const { count, rows } = await options.read(actor(request), {
        params: request.params as Record<string, string>,
        ...pageWindow(request.query),
      });
      return toPage(request, request.query, count, rows);
    },
  );
}
