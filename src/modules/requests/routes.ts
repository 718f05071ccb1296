import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, errorSchema, rateLimitedResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { requestOrigin } from '../../http/urls.js';
import { ADMIN_REMINDER_RATE_LIMIT } from '../../shared/reminders.js';
import { historyRoute } from '../history/index.js';
import { approveAllRequests, approveRequests } from './approve.js';
import { canRequest } from './can-request.js';
import { cancelRequest } from './cancel.js';
import { createRequest } from './create-request.js';
import {
  createCustomerConfiguration,
  getCustomerConfiguration,
  listCustomerConfigurations,
  updateCustomerConfiguration,
} from './customer-configurations.js';
import { declineRequest } from './decline.js';
import { getRequest, listRequests, requestsOverview, requestViews } from './list-requests.js';
import { remindRequest } from './remind.js';
import { requestHistory } from './request-history.js';
import * as s from './requests.schemas.js';
import { subsidyRequestRoutes } from './subsidy-requests.routes.js';
import { customerConfigurationView } from './views.js';

const tags = ['requests'];
const api = '/api/v1/learner-credit-requests';
const configs = '/api/v1/customer-configurations';
const refusals = { 409: errorSchema, 422: errorSchema, ...errorResponses };

/** Browse & request: learner credit requests, the can-request check, customer configurations. */
export const requestsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  // License and coupon code requests: answered as for a customer without licenses or codes.
  await app.register(subsidyRequestRoutes, { ctx });

  historyRoute(app, {
    url: `${api}/:uuid/history/`,
    tag: 'requests',
    what: 'a learner credit request',
    read: (who, { params, ...page }) => requestHistory(ctx, who, { uuid: params.uuid ?? '', ...page }),
  });

  const one = async (uuid: string) => {
    const [view] = await requestViews(ctx.db.kysely, [uuid]);
    if (!view) throw new Error(`request ${uuid} vanished`);
    return view;
  };

  app.get(
    `${api}/`,
    {
      schema: {
        tags,
        summary: "Learner credit requests: the caller's own, and all of the enterprises they administer",
        querystring: s.requestListQuery,
        response: { 200: pageSchema(s.requestView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listRequests(ctx, actor(request), {
        query: q,
        ordering: q.ordering ?? [],
        ...pageWindow(q),
      });
      return toPage(request, q, count, results);
    },
  );

  app.post(
    `${api}/`,
    {
      // Each request emails the enterprise's admins (in the digest) and waits on their review:
      // cheap to send, costly to the people who must read them.
      config: { rateLimit: { name: 'credit-requests', max: 20, windowSeconds: 3600, by: 'user' } },
      schema: {
        tags,
        summary: 'Ask for a course on a bnr-enabled policy (201 new, 200 an ended request reused)',
        body: s.createRequestBody,
        response: { 200: s.requestView, 201: s.requestView, ...refusals, ...rateLimitedResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { request: row, created } = await createRequest(ctx, actor(request), {
        policyUuid: b.policy_uuid,
        courseId: b.course_id,
        coursePrice: b.course_price,
        enterpriseCustomerUuid: b.enterprise_customer_uuid,
      });
      return reply.status(created ? 201 : 200).send(await one(row.uuid));
    },
  );

  app.get(
    `${api}/overview/`,
    {
      schema: {
        tags,
        summary: "Counts by state of an enterprise's requests (admins and operators)",
        querystring: s.overviewQuery,
        response: { 200: s.overviewView, ...errorResponses },
      },
    },
    async (request) =>
      requestsOverview(ctx, actor(request), {
        enterpriseCustomerUuid: request.query.enterprise_customer_uuid,
        policyUuid: request.query.policy_uuid,
        search: request.query.search,
      }),
  );

  app.get(
    `${api}/:uuid/`,
    {
      schema: {
        tags,
        summary: 'One learner credit request (its learner, admins of its enterprise, operators)',
        params: s.uuidParams,
        response: { 200: s.requestView, ...errorResponses },
      },
    },
    async (request) => getRequest(ctx, actor(request), request.params.uuid),
  );

  app.post(
    `${api}/approve/`,
    {
      schema: {
        tags,
        summary: 'Approve requests of a policy into allocated assignments, in one transaction (admins)',
        body: s.approveBody,
        response: { 200: s.approvalView, ...refusals },
      },
    },
    async (request) => {
      const outcome = await approveRequests(ctx, actor(request), {
        policyUuid: request.body.policy_uuid,
        requestUuids: request.body.learner_credit_request_uuids,
        enterpriseCustomerUuid: request.body.enterprise_customer_uuid,
      });
      return { approved: await requestViews(ctx.db.kysely, outcome.approved), failed: outcome.failed };
    },
  );

  app.post(
    `${api}/approve-all/`,
    {
      schema: {
        tags,
        summary: "Approve every requested or errored request of a policy the list's filters select (admins)",
        querystring: s.requestFilterQuery,
        body: s.approveAllBody,
        response: { 202: s.approvalView, ...refusals },
      },
    },
    async (request, reply) => {
      const outcome = await approveAllRequests(ctx, actor(request), {
        policyUuid: request.body.policy_uuid,
        query: request.query,
        enterpriseCustomerUuid: request.body.enterprise_customer_uuid,
      });
      return reply
        .status(202)
        .send({ approved: await requestViews(ctx.db.kysely, outcome.approved), failed: outcome.failed });
    },
  );

  app.post(
    `${api}/decline/`,
    {
      schema: {
        tags,
        summary: 'Decline a requested request, optionally emailing and removing the learner (admins)',
        body: s.declineBody,
        response: { 200: s.requestView, ...refusals },
      },
    },
    async (request) => {
      const b = request.body;
      const row = await declineRequest(ctx, actor(request), {
        requestUuid: b.subsidy_request_uuid,
        reason: b.decline_reason,
        sendNotification: b.send_notification,
        disassociate: b.disassociate_from_org,
      });
      return one(row.uuid);
    },
  );

  app.post(
    `${api}/cancel/`,
    {
      schema: {
        tags,
        summary: 'Cancel an approved request and its assignment; refused once redeemed (admins)',
        body: s.cancelBody,
        response: { 200: s.requestView, ...refusals },
      },
    },
    async (request) => {
      const row = await cancelRequest(ctx, actor(request), { requestUuid: request.body.request_uuid });
      return one(row.uuid);
    },
  );

  app.post(
    `${api}/remind/`,
    {
      config: { rateLimit: ADMIN_REMINDER_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Remind the learner of an approved request (admins)',
        body: s.remindBody,
        response: { 200: s.requestView, ...refusals, ...rateLimitedResponses },
      },
    },
    async (request) => {
      const row = await remindRequest(ctx, actor(request), {
        requestUuid: request.body.learner_credit_request_uuid,
      });
      return one(row.uuid);
    },
  );

  app.get(
    '/api/v1/policy-redemption/enterprise-customer/:enterprise_customer_uuid/can-request/',
    {
      schema: {
        tags,
        summary: 'Whether the learner in the token can ask for a course, and on which policy',
        params: s.customerParams,
        querystring: s.canRequestQuery,
        response: { 200: s.canRequestView, ...errorResponses },
      },
    },
    async (request) =>
      canRequest(ctx, actor(request), {
        enterpriseCustomerUuid: request.params.enterprise_customer_uuid,
        contentKey: request.query.content_key,
        origin: requestOrigin(request),
      }),
  );

  app.get(
    `${configs}/`,
    {
      schema: {
        tags,
        summary: 'Customer browse-and-request configurations the caller administers',
        querystring: s.customerConfigurationListQuery,
        response: { 200: pageSchema(s.customerConfigurationView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listCustomerConfigurations(ctx, actor(request), {
        enterpriseCustomerUuid: q.enterprise_customer_uuid,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(customerConfigurationView));
    },
  );

  app.post(
    `${configs}/`,
    {
      schema: {
        tags,
        summary: "Create a customer's browse-and-request configuration (admins)",
        body: s.createCustomerConfigurationBody,
        response: { 201: s.customerConfigurationView, ...refusals },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const row = await createCustomerConfiguration(ctx, actor(request), {
        enterpriseCustomerUuid: b.enterprise_customer_uuid,
        subsidyRequestsEnabled: b.subsidy_requests_enabled,
        subsidyType: b.subsidy_type,
      });
      return reply.status(201).send(customerConfigurationView(row));
    },
  );

  app.get(
    `${configs}/:uuid/`,
    {
      schema: {
        tags,
        summary: "An enterprise's browse-and-request configuration (its members; 404 when none)",
        params: s.uuidParams,
        response: { 200: s.customerConfigurationView, ...errorResponses },
      },
    },
    async (request) =>
      customerConfigurationView(await getCustomerConfiguration(ctx, actor(request), request.params.uuid)),
  );

  app.patch(
    `${configs}/:uuid/`,
    {
      schema: {
        tags,
        summary: "Change an enterprise's browse-and-request configuration (admins)",
        params: s.uuidParams,
        body: s.updateCustomerConfigurationBody,
        response: { 200: s.customerConfigurationView, ...refusals },
      },
    },
    async (request) => {
      const b = request.body;
      const row = await updateCustomerConfiguration(ctx, actor(request), request.params.uuid, {
        subsidyRequestsEnabled: b.subsidy_requests_enabled,
        subsidyType: b.subsidy_type,
        enterpriseCustomerUuid: b.enterprise_customer_uuid,
      });
      return customerConfigurationView(row);
    },
  );
};
