import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import {
  assignOut,
  groupIn,
  groupLearnerOut,
  groupListQuery,
  groupOut,
  groupPatch,
  learnersChangeIn,
  removeOut,
  uuidParams,
} from './enterprise.schemas.js';
import {
  assignLearners,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupLearners,
  listGroups,
  removeLearners,
  updateGroup,
} from './groups.js';
import { toGroup, toGroupLearner } from './views.js';

const tags = ['enterprise'];
const refusals = { ...errorResponses, 409: errorSchema, 422: errorSchema };

export const groupRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/enterprise-group/',
    {
      schema: {
        tags,
        summary: 'Groups of the enterprises the caller administers (all for operators)',
        querystring: groupListQuery,
        response: { 200: pageSchema(groupOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listGroups(ctx, actor(request), {
        customerUuid: q.enterprise_customer,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(toGroup));
    },
  );

  app.post(
    '/api/v1/enterprise-group/',
    {
      schema: {
        tags,
        summary: 'Create a group in an enterprise (its admins, operators)',
        body: groupIn,
        response: { 201: groupOut, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toGroup(await createGroup(ctx, actor(request), request.body))),
  );

  app.get(
    '/api/v1/enterprise-group/:uuid/',
    {
      schema: {
        tags,
        summary: 'One group (admins of its enterprise, operators)',
        params: uuidParams,
        response: { 200: groupOut, ...errorResponses },
      },
    },
    async (request) => toGroup(await getGroup(ctx, actor(request), request.params.uuid)),
  );

  app.patch(
    '/api/v1/enterprise-group/:uuid/',
    {
      schema: {
        tags,
        summary: 'Rename a group',
        params: uuidParams,
        body: groupPatch,
        response: { 200: groupOut, ...refusals },
      },
    },
    async (request) => toGroup(await updateGroup(ctx, actor(request), request.params.uuid, request.body)),
  );

  app.delete(
    '/api/v1/enterprise-group/:uuid/',
    {
      schema: {
        tags,
        summary: 'Delete a group and its memberships',
        params: uuidParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteGroup(ctx, actor(request), request.params.uuid);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/enterprise-group/:uuid/assign_learners/',
    {
      schema: {
        tags,
        summary:
          'Add members by lms_user_ids (active learners of the enterprise) and/or learner_emails (pending)',
        params: uuidParams,
        body: learnersChangeIn,
        response: { 200: assignOut, ...refusals },
      },
    },
    async (request) =>
      assignLearners(ctx, actor(request), { groupUuid: request.params.uuid, ...request.body }),
  );

  app.post(
    '/api/v1/enterprise-group/:uuid/remove_learners/',
    {
      schema: {
        tags,
        summary: 'Remove members by lms_user_ids and/or learner_emails',
        params: uuidParams,
        body: learnersChangeIn,
        response: { 200: removeOut, ...refusals },
      },
    },
    async (request) =>
      removeLearners(ctx, actor(request), { groupUuid: request.params.uuid, ...request.body }),
  );

  app.get(
    '/api/v1/enterprise-group/:uuid/learners/',
    {
      schema: {
        tags,
        summary: "The group's members, then its pending invitations by email",
        params: uuidParams,
        querystring: paginationQuery,
        response: { 200: pageSchema(groupLearnerOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listGroupLearners(ctx, actor(request), {
        groupUuid: request.params.uuid,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(toGroupLearner));
    },
  );
};
