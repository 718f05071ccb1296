import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import {
  containsOut,
  containsQuery,
  courseListQuery,
  courseOptionsOut,
  courseOut,
  createCourseBody,
  createOrganizationBody,
  createRunBody,
  keyParams,
  organizationListQuery,
  organizationOut,
  runDetailQuery,
  runListQuery,
  runOut,
  updateCourseBody,
  updateOrganizationBody,
  updateRunBody,
} from './catalog.schemas.js';
import { courseEditOptions } from './course-types.js';
import { createCourse } from './create-course.js';
import { createRun } from './create-run.js';
import { refuseDeletion } from './deletion.js';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations.js';
import { getCourse, listCourses } from './read-courses.js';
import { getRun, listRuns, runsContain } from './read-runs.js';
import { updateCourse } from './update-course.js';
import { updateRun } from './update-run.js';

const tags = ['catalog'];

/** Organizations, courses and course runs, at course-discovery's paths. */
export const courseRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  // ---- organizations

  app.get(
    '/api/v1/organizations/',
    {
      schema: {
        tags,
        summary: 'Organizations (filters: keys, uuids)',
        querystring: organizationListQuery,
        response: { 200: pageSchema(organizationOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listOrganizations(ctx, actor(request), {
        keys: q.keys,
        uuids: q.uuids,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows);
    },
  );

  app.get(
    '/api/v1/organizations/:key/',
    {
      schema: {
        tags,
        summary: 'One organization by key or uuid',
        params: keyParams,
        response: { 200: organizationOut, ...errorResponses },
      },
    },
    async (request) => getOrganization(ctx, actor(request), request.params.key),
  );

  app.post(
    '/api/v1/organizations/',
    {
      schema: {
        tags,
        summary: 'Add an organization (catalog_admin or staff)',
        body: createOrganizationBody,
        response: { 201: organizationOut, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createOrganization(ctx, actor(request), request.body)),
  );

  app.patch(
    '/api/v1/organizations/:key/',
    {
      schema: {
        tags,
        summary: 'Rename an organization; its key never changes (catalog_admin or staff)',
        params: keyParams,
        body: updateOrganizationBody,
        response: { 200: organizationOut, ...errorResponses },
      },
    },
    async (request) => updateOrganization(ctx, actor(request), request.params.key, request.body),
  );

  // ---- courses

  app.get(
    '/api/v1/courses/',
    {
      schema: {
        tags,
        summary: 'Courses with their runs and entitlements (filters: keys, uuids, course_type, q)',
        querystring: courseListQuery,
        response: { 200: pageSchema(courseOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listCourses(ctx, actor(request), {
        keys: q.keys,
        uuids: q.uuids,
        course_type: q.course_type,
        q: q.q,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows);
    },
  );

  app.get(
    '/api/v1/courses/:key/',
    {
      schema: {
        tags,
        summary: 'One course by key (ORG+NUMBER) or uuid',
        params: keyParams,
        response: { 200: courseOut, ...errorResponses },
      },
    },
    async (request) => getCourse(ctx, actor(request), request.params.key),
  );

  const options = {
    schema: {
      tags,
      summary: "The course types an editor may pick, as course-discovery's OPTIONS metadata (type_options)",
      response: { 200: courseOptionsOut, ...errorResponses },
    },
  };
  const optionsHandler = async (request: Parameters<typeof actor>[0]) => {
    const { typeOptions, seatTypes } = await courseEditOptions(ctx, actor(request));
    return {
      name: 'Course',
      actions: {
        PUT: {
          type: { type: 'field', required: true, type_options: typeOptions },
          entitlements: {
            child: {
              children: {
                mode: { choices: seatTypes.map((s) => ({ display_name: s.name, value: s.slug })) },
              },
            },
          },
        },
      },
    };
  };
  app.options('/api/v1/courses/', options, optionsHandler);
  app.options('/api/v1/courses/:key/', { schema: { ...options.schema, params: keyParams } }, optionsHandler);

  app.post(
    '/api/v1/courses/',
    {
      schema: {
        tags,
        summary:
          'Create a course ORG+NUMBER with the entitlements of its course type, optionally with its first run (catalog_admin or staff)',
        body: createCourseBody,
        response: { 201: courseOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { prices, course_run, ...rest } = request.body;
      const course = await createCourse(ctx, actor(request), {
        ...rest,
        pricesCents: prices,
        course_run: course_run && { ...course_run, pricesCents: course_run.prices },
      });
      return reply.status(201).send(course);
    },
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/api/v1/courses/:key/',
    schema: {
      tags,
      summary:
        'Update a course (PUT is a partial update too); entitlements follow its type, and only widen after review (catalog_admin or staff)',
      params: keyParams,
      body: updateCourseBody,
      response: { 200: courseOut, ...errorResponses },
    },
    handler: async (request) => {
      const { prices, ...rest } = request.body;
      return updateCourse(ctx, actor(request), request.params.key, { ...rest, pricesCents: prices });
    },
  });

  app.delete(
    '/api/v1/courses/:key/',
    {
      schema: {
        tags,
        summary: 'Courses are never deleted (405), as in course-discovery',
        params: keyParams,
        response: { 405: errorSchema, ...errorResponses },
      },
    },
    async (request) => refuseDeletion(actor(request), 'course'),
  );

  // ---- course runs

  app.get(
    '/api/v1/course_runs/',
    {
      schema: {
        tags,
        summary: 'Course runs by lower-cased key (filters: keys, active, marketable)',
        querystring: runListQuery,
        response: { 200: pageSchema(runOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listRuns(ctx, actor(request), { ...q, ...pageWindow(q) });
      return toPage(request, q, count, rows);
    },
  );

  app.get(
    '/api/v1/course_runs/contains/',
    {
      schema: {
        tags,
        summary: 'Which of the given run keys the catalog holds',
        querystring: containsQuery,
        response: { 200: containsOut, ...errorResponses },
      },
    },
    async (request) => {
      const keys = request.query.course_run_ids
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      return { course_runs: await runsContain(ctx, actor(request), keys) };
    },
  );

  app.get(
    '/api/v1/course_runs/:key/',
    {
      schema: {
        tags,
        summary: 'One course run by key or uuid, with the active programs that hold it',
        params: keyParams,
        querystring: runDetailQuery,
        response: { 200: runOut, ...errorResponses },
      },
    },
    async (request) => getRun(ctx, actor(request), request.params.key, request.query),
  );

  app.post(
    '/api/v1/course_runs/',
    {
      schema: {
        tags,
        summary:
          'Create a run: key generated from the start date, seats from its run type, which must be one of its course type (catalog_admin or staff)',
        body: createRunBody,
        response: { 201: runOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { prices, ...rest } = request.body;
      return reply.status(201).send(await createRun(ctx, actor(request), { ...rest, pricesCents: prices }));
    },
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/api/v1/course_runs/:key/',
    schema: {
      tags,
      summary:
        'Update a run (PUT is a partial update too); seats follow its run type, only widening after review; a new end resets the verified deadline (catalog_admin or staff)',
      params: keyParams,
      body: updateRunBody,
      response: { 200: runOut, ...errorResponses },
    },
    handler: async (request) => {
      const { prices, ...rest } = request.body;
      return updateRun(ctx, actor(request), request.params.key, { ...rest, pricesCents: prices });
    },
  });

  app.delete(
    '/api/v1/course_runs/:key/',
    {
      schema: {
        tags,
        summary: 'Course runs are never deleted (405), as in course-discovery',
        params: keyParams,
        response: { 405: errorSchema, ...errorResponses },
      },
    },
    async (request) => refuseDeletion(actor(request), 'course run'),
  );
};
