import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import {
  courseTypeListQuery,
  courseTypeOut,
  createCourseTypeBody,
  createModeBody,
  createRunTypeBody,
  createSeatTypeBody,
  createTrackBody,
  modeOut,
  programTypeOut,
  runTypeOut,
  seatTypeOut,
  slugParams,
  trackOut,
  typeListQuery,
  typeOptionsOut,
  uuidParams,
} from './catalog.schemas.js';
import {
  courseTypeOptions,
  createCourseType,
  createMode,
  createRunType,
  createSeatType,
  createTrack,
  getCourseType,
  getProgramType,
  getRunType,
  listTypes,
} from './course-types.js';

const tags = ['catalog'];

/** The type catalogue: seat types, modes, tracks, course run types, course types, program types. */
export const typeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const lists = [
    ['seat_types', seatTypeOut, 'Seat types (the products a seat or entitlement sells)'],
    ['modes', modeOut, 'LMS enrollment modes'],
    ['tracks', trackOut, 'Tracks: a mode with its seat type, or with none'],
    ['course_run_types', runTypeOut, 'Course run types with their tracks'],
    ['program_types', programTypeOut, 'Program types with their applicable seat types'],
  ] as const;
  for (const [kind, item, summary] of lists) {
    app.get(
      `/api/v1/${kind}/`,
      {
        schema: {
          tags,
          summary,
          querystring: typeListQuery,
          response: { 200: pageSchema(item), ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const { count, rows } = await listTypes(ctx, actor(request), kind, pageWindow(q));
        return toPage(request, q, count, rows);
      },
    );
  }

  app.get(
    '/api/v1/course_types/',
    {
      schema: {
        tags,
        summary:
          'Course types with their entitlement seat types and ordered run types (`empty` with include_empty=1)',
        querystring: courseTypeListQuery,
        response: { 200: pageSchema(courseTypeOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listTypes(ctx, actor(request), 'course_types', {
        ...pageWindow(q),
        includeEmpty: q.include_empty,
      });
      return toPage(request, q, count, rows);
    },
  );

  app.get(
    '/api/v1/course_types/type_options/',
    {
      schema: {
        tags,
        summary: "The course types an editor may pick (course-discovery's OPTIONS type_options)",
        response: { 200: typeOptionsOut, ...errorResponses },
      },
    },
    async (request) => ({ type_options: await courseTypeOptions(ctx, actor(request)) }),
  );

  app.get(
    '/api/v1/course_types/:uuid/',
    {
      schema: {
        tags,
        summary: 'One course type',
        params: uuidParams,
        response: { 200: courseTypeOut, ...errorResponses },
      },
    },
    async (request) => getCourseType(ctx, actor(request), request.params.uuid),
  );

  app.get(
    '/api/v1/course_run_types/:uuid/',
    {
      schema: {
        tags,
        summary: 'One course run type',
        params: uuidParams,
        response: { 200: runTypeOut, ...errorResponses },
      },
    },
    async (request) => getRunType(ctx, actor(request), request.params.uuid),
  );

  app.get(
    '/api/v1/program_types/:slug/',
    {
      schema: {
        tags,
        summary: 'One program type',
        params: slugParams,
        response: { 200: programTypeOut, ...errorResponses },
      },
    },
    async (request) => getProgramType(ctx, actor(request), request.params.slug),
  );

  app.post(
    '/api/v1/seat_types/',
    {
      schema: {
        tags,
        summary: 'Add a seat type (catalog_admin or staff)',
        body: createSeatTypeBody,
        response: { 201: seatTypeOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createSeatType(ctx, actor(request), request.body)),
  );

  app.post(
    '/api/v1/modes/',
    {
      schema: {
        tags,
        summary: 'Add an LMS mode (catalog_admin or staff)',
        body: createModeBody,
        response: { 201: modeOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createMode(ctx, actor(request), request.body)),
  );

  app.post(
    '/api/v1/tracks/',
    {
      schema: {
        tags,
        summary: 'Add a track: a mode with a seat type, or with none (catalog_admin or staff)',
        body: createTrackBody,
        response: { 201: trackOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createTrack(ctx, actor(request), request.body)),
  );

  app.post(
    '/api/v1/course_run_types/',
    {
      schema: {
        tags,
        summary: 'Add a course run type from track uuids; professional stands alone (catalog_admin or staff)',
        body: createRunTypeBody,
        response: { 201: runTypeOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createRunType(ctx, actor(request), request.body)),
  );

  app.post(
    '/api/v1/course_types/',
    {
      schema: {
        tags,
        summary:
          'Add a course type from entitlement seat type slugs and ordered run type uuids; professional stands alone (catalog_admin or staff)',
        body: createCourseTypeBody,
        response: { 201: courseTypeOut, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCourseType(ctx, actor(request), request.body)),
  );
};
