import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import {
  createProgramBody,
  programListQuery,
  programOut,
  updateProgramBody,
  uuidParams,
} from './catalog.schemas.js';
import { createProgram, getProgram, listPrograms, updateProgram } from './programs.js';

const tags = ['catalog'];

/** Programs: ordered courses whose runs, minus the excluded ones, make up the program. */
export const programRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/programs/',
    {
      schema: {
        tags,
        summary: 'Programs with their courses and non-excluded runs (filters: uuids, status, types)',
        querystring: programListQuery,
        response: { 200: pageSchema(programOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listPrograms(ctx, actor(request), {
        uuids: q.uuids,
        status: q.status,
        types: q.types,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows);
    },
  );

  app.get(
    '/api/v1/programs/:uuid/',
    {
      schema: {
        tags,
        summary: 'One program',
        params: uuidParams,
        response: { 200: programOut, ...errorResponses },
      },
    },
    async (request) => getProgram(ctx, actor(request), request.params.uuid),
  );

  app.post(
    '/api/v1/programs/',
    {
      schema: {
        tags,
        summary: 'Create a program from course keys and excluded run keys (catalog_admin or staff)',
        body: createProgramBody,
        response: { 201: programOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createProgram(ctx, actor(request), request.body)),
  );

  app.patch(
    '/api/v1/programs/:uuid/',
    {
      schema: {
        tags,
        summary:
          'Update a program; courses and excluded_course_runs replace the current ones (catalog_admin or staff)',
        params: uuidParams,
        body: updateProgramBody,
        response: { 200: programOut, ...errorResponses },
      },
    },
    async (request) => updateProgram(ctx, actor(request), request.params.uuid, request.body),
  );
};
