import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import { historyRoute } from '../history/index.js';
import { customerContainsItems } from './contains.js';
import { contentMetadata } from './content-metadata.js';
import { customerHistory } from './customer-history.js';
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer } from './customers.js';
import {
  containsOut,
  contentKeys,
  contentMetadataOut,
  contentParams,
  customerContainsQuery,
  customerIn,
  customerOut,
  customerPatch,
  inviteOut,
  learnerIn,
  learnerParams,
  memberOut,
  myMembershipOut,
  pendingMemberOut,
  uuidParams,
} from './enterprise.schemas.js';
import {
  addMember,
  inviteMembers,
  listMembers,
  listMyMemberships,
  listPendingMembers,
  removeMember,
} from './memberships.js';
import { toCustomer, toMember, toMyMembership } from './views.js';

const tags = ['enterprise'];
const refusals = { ...errorResponses, 409: errorSchema, 422: errorSchema };

export const customerRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  historyRoute(app, {
    url: '/api/v1/enterprise-customer/:uuid/history/',
    tag: 'enterprise',
    what: 'an enterprise customer',
    read: (who, { params, ...page }) => customerHistory(ctx, who, { uuid: params.uuid ?? '', ...page }),
  });

  app.get(
    '/api/v1/enterprise-customer/',
    {
      schema: {
        tags,
        summary:
          'Enterprise customers the caller may see (all of them for operators), or the one with `slug`',
        querystring: paginationQuery.extend({ slug: z.string().min(1).max(255).optional() }),
        response: { 200: pageSchema(customerOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listCustomers(ctx, actor(request), { ...pageWindow(q), slug: q.slug });
      return toPage(request, q, count, rows.map(toCustomer));
    },
  );

  app.post(
    '/api/v1/enterprise-customer/',
    {
      schema: {
        tags,
        summary: 'Create an enterprise customer (operators)',
        body: customerIn,
        response: { 201: customerOut, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toCustomer(await createCustomer(ctx, actor(request), request.body))),
  );

  app.get(
    '/api/v1/enterprise-customer/:uuid/',
    {
      schema: {
        tags,
        summary: 'One enterprise customer (its admins and learners, operators)',
        params: uuidParams,
        response: { 200: customerOut, ...errorResponses },
      },
    },
    async (request) => toCustomer(await getCustomer(ctx, actor(request), request.params.uuid)),
  );

  app.patch(
    '/api/v1/enterprise-customer/:uuid/',
    {
      schema: {
        tags,
        summary: 'Update an enterprise customer (operators)',
        params: uuidParams,
        body: customerPatch,
        response: { 200: customerOut, ...refusals },
      },
    },
    async (request) =>
      toCustomer(await updateCustomer(ctx, actor(request), request.params.uuid, request.body)),
  );

  app.delete(
    '/api/v1/enterprise-customer/:uuid/',
    {
      schema: {
        tags,
        summary: 'Delete an enterprise customer nothing refers to (operators); deactivate it otherwise',
        params: uuidParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await deleteCustomer(ctx, actor(request), request.params.uuid);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/enterprise-customer/:uuid/learners/',
    {
      schema: {
        tags,
        summary: "The enterprise's active learners (its admins, operators)",
        params: uuidParams,
        querystring: paginationQuery,
        response: { 200: pageSchema(memberOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listMembers(ctx, actor(request), {
        customerUuid: request.params.uuid,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(toMember));
    },
  );

  app.get(
    '/api/v1/enterprise-customer/:uuid/pending-learners/',
    {
      schema: {
        tags,
        summary:
          "The enterprise's invitations by email, pending until the person signs in (its admins, operators)",
        params: uuidParams,
        querystring: paginationQuery,
        response: { 200: pageSchema(pendingMemberOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listPendingMembers(ctx, actor(request), {
        customerUuid: request.params.uuid,
        ...pageWindow(q),
      });
      return toPage(
        request,
        q,
        count,
        rows.map((r) => ({ email: r.email, invited: r.created.toISOString() })),
      );
    },
  );

  app.post(
    '/api/v1/enterprise-customer/:uuid/learners/',
    {
      schema: {
        tags,
        summary:
          'Add a learner {lms_user_id, username, email}, or invite {emails: [...]} (pending until they sign in)',
        params: uuidParams,
        body: learnerIn,
        response: { 201: z.union([memberOut, inviteOut]), ...refusals },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const customerUuid = request.params.uuid;
      if ('emails' in body) {
        const { linked, pending } = await inviteMembers(ctx, actor(request), {
          customerUuid,
          emails: body.emails,
        });
        return reply.status(201).send({ linked: linked.map(toMember), pending });
      }
      return reply
        .status(201)
        .send(toMember(await addMember(ctx, actor(request), { customerUuid, ...body })));
    },
  );

  app.delete(
    '/api/v1/enterprise-customer/:uuid/learners/:lms_user_id/',
    {
      schema: {
        tags,
        summary: "Deactivate a learner's membership (kept; adding the learner again reactivates it)",
        params: learnerParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeMember(ctx, actor(request), {
        customerUuid: request.params.uuid,
        lmsUserId: request.params.lms_user_id,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/memberships/',
    {
      schema: {
        tags,
        summary: "The caller's own enterprise memberships",
        querystring: paginationQuery,
        response: { 200: pageSchema(myMembershipOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listMyMemberships(ctx, actor(request), pageWindow(q));
      return toPage(request, q, count, rows.map(toMyMembership));
    },
  );

  app.get(
    '/api/v1/enterprise-customer/:uuid/contains_content_items/',
    {
      schema: {
        tags,
        summary: "Per content key, whether any of the customer's catalogs contains it",
        params: uuidParams,
        querystring: customerContainsQuery,
        response: { 200: containsOut, ...errorResponses },
      },
    },
    async (request) =>
      customerContainsItems(ctx, actor(request), {
        customerUuid: request.params.uuid,
        keys: contentKeys(request.query),
        withCatalogs: request.query.get_catalogs_containing_specified_content_ids,
      }),
  );

  app.get(
    '/api/v2/enterprise-customer/:uuid/content-metadata/:key/',
    {
      schema: {
        tags,
        summary:
          "A course or run of the customer's catalogs, with content_price in cents and price in dollars",
        params: contentParams,
        response: { 200: contentMetadataOut, ...errorResponses },
      },
    },
    async (request) =>
      contentMetadata(ctx, actor(request), { customerUuid: request.params.uuid, key: request.params.key }),
  );
};
