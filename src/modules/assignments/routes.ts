import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema, rateLimitedResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, toPage } from '../../http/pagination.js';
import { ADMIN_REMINDER_RATE_LIMIT } from '../../shared/reminders.js';
import { historyRoute } from '../history/index.js';
import { getAdminAssignment, listAdminAssignments } from './admin-list.js';
import { allocate } from './allocate.js';
import { assignmentHistory } from './assignment-history.js';
import * as s from './assignments.schemas.js';
import { cancelAllAssignments, cancelAssignments } from './cancel.js';
import {
  createConfiguration,
  deleteConfiguration,
  getConfiguration,
  listConfigurations,
  updateConfiguration,
} from './configurations.js';
import { acknowledgeAssignments, listOwnAssignments } from './learner.js';
import { nudgeAssignments } from './nudge.js';
import { AllocationRefused } from './refusals.js';
import { remindAllAssignments, remindAssignments } from './remind.js';

const tags = ['assignments'];
const configs = '/api/v1/assignment-configurations';
const admin = `${configs}/:config_uuid/admin/assignments`;
const refusals = { 422: errorSchema, ...errorResponses };

/** The admin list's query → the repository filter; the list, cancel-all and remind-all share it. */
function adminFilter(q: s.AdminFilterQuery) {
  return {
    contentKey: q.content_key,
    contentKeyIn: q.content_key__in,
    learnerEmail: q.learner_email,
    learnerEmailIn: q.learner_email__in,
    lmsUserId: q.lms_user_id,
    lmsUserIdIn: q.lms_user_id__in,
    state: q.state,
    stateIn: q.state__in,
    learnerState: q.learner_state,
    learnerStateIn: q.learner_state__in,
    search: q.search || undefined,
  };
}

/** Assigned learner credit: configurations, allocation, admin and learner assignment endpoints. */
export const assignmentsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  historyRoute(app, {
    url: `${admin}/:uuid/history/`,
    parents: ['config_uuid'],
    tag: 'assignments',
    what: 'an assignment',
    read: (who, { params, ...page }) =>
      assignmentHistory(ctx, who, {
        configurationUuid: params.config_uuid ?? '',
        uuid: params.uuid ?? '',
        ...page,
      }),
  });

  app.get(
    `${configs}/`,
    {
      schema: {
        tags,
        summary: "A customer's assignment configurations (admins and operators)",
        querystring: s.configurationListQuery,
        response: { 200: pageSchema(s.configurationView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listConfigurations(ctx, actor(request), {
        enterpriseCustomerUuid: q.enterprise_customer_uuid,
        active: q.active,
        page: q,
      });
      return toPage(request, q, count, results);
    },
  );

  app.post(
    `${configs}/`,
    {
      schema: {
        tags,
        summary: 'Create an assignment configuration (operators)',
        body: s.createConfigurationBody,
        response: { 201: s.configurationView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await createConfiguration(ctx, actor(request), {
        enterpriseCustomerUuid: request.body.enterprise_customer_uuid,
      });
      return reply.status(201).send(view);
    },
  );

  app.get(
    `${configs}/:uuid/`,
    {
      schema: {
        tags,
        summary: 'One assignment configuration',
        params: s.uuidParams,
        response: { 200: s.configurationView, ...errorResponses },
      },
    },
    async (request) => getConfiguration(ctx, actor(request), request.params.uuid),
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: `${configs}/:uuid/`,
      schema: {
        tags,
        summary: 'Change `active` of a configuration (operators); any other field is refused',
        params: s.uuidParams,
        body: s.updateConfigurationBody,
        response: { 200: s.configurationView, ...errorResponses },
      },
      handler: async (request) => updateConfiguration(ctx, actor(request), request.params.uuid, request.body),
    });
  }

  app.delete(
    `${configs}/:uuid/`,
    {
      schema: {
        tags,
        summary: 'Deactivate a configuration (soft delete; operators)',
        params: s.uuidParams,
        response: { 200: s.configurationView, ...errorResponses },
      },
    },
    async (request) => deleteConfiguration(ctx, actor(request), request.params.uuid),
  );

  app.post(
    '/api/v1/policy-allocation/:policy_uuid/allocate/',
    {
      schema: {
        tags,
        summary: 'Assign content to learners by email through an assigned-credit policy (admins)',
        params: s.policyParams,
        body: s.allocateBody,
        response: {
          202: s.allocateResponse,
          422: z.union([s.allocationRefusal, errorSchema]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      try {
        const result = await allocate(ctx, actor(request), {
          policyUuid: request.params.policy_uuid,
          learnerEmails: request.body.learner_emails,
          contentKey: request.body.content_key,
          contentPriceCents: request.body.content_price_cents,
          // The caller from the token; a body's admin_lms_user_id (the admin portal sends it) is ignored.
          adminLmsUserId: actor(request).lmsUserId,
        });
        return reply.status(202).send(result);
      } catch (err) {
        // The admin portal reads `body[0].reason`: the reference's array, not Campus's error object.
        if (err instanceof AllocationRefused) return reply.status(422).send(err.reasons);
        throw err;
      }
    },
  );

  app.get(
    `${admin}/`,
    {
      schema: {
        tags,
        summary: "A configuration's assignments with learner_state (admins)",
        params: s.configParams,
        querystring: s.adminListQuery,
        response: { 200: s.adminListResponse, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await listAdminAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        filter: adminFilter(q),
        ordering: q.ordering,
        page: q,
      });
      return { ...toPage(request, q, r.count, r.results), learner_state_counts: r.learner_state_counts };
    },
  );

  app.get(
    `${admin}/:assignment_uuid/`,
    {
      schema: {
        tags,
        summary: 'One assignment (admins)',
        params: s.configAssignmentParams,
        response: { 200: s.adminAssignmentView, ...errorResponses },
      },
    },
    async (request) =>
      getAdminAssignment(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuid: request.params.assignment_uuid,
      }),
  );

  app.post(
    `${admin}/cancel/`,
    {
      schema: {
        tags,
        summary: 'Cancel allocated or errored assignments and email the learners (admins)',
        params: s.configParams,
        body: s.assignmentUuidsBody,
        response: { 200: s.cancelResponse, ...refusals },
      },
    },
    async (request) =>
      cancelAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuids: request.body.assignment_uuids,
      }),
  );

  app.post(
    `${admin}/remind/`,
    {
      config: { rateLimit: ADMIN_REMINDER_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Remind learners of allocated assignments (admins)',
        params: s.configParams,
        body: s.assignmentUuidsBody,
        response: { 200: s.remindResponse, ...refusals, ...rateLimitedResponses },
      },
    },
    async (request) =>
      remindAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuids: request.body.assignment_uuids,
      }),
  );

  app.post(
    `${admin}/cancel-all/`,
    {
      schema: {
        tags,
        summary: 'Cancel every allocated or errored assignment the list filters select (admins)',
        params: s.configParams,
        querystring: s.adminFilterQuery,
        response: { 202: s.cancelAllResponse, ...refusals },
      },
    },
    async (request, reply) => {
      const r = await cancelAllAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        filter: adminFilter(request.query),
      });
      return reply.status(202).send(r);
    },
  );

  app.post(
    `${admin}/remind-all/`,
    {
      config: { rateLimit: ADMIN_REMINDER_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Remind the learners of every allocated assignment the list filters select (admins)',
        params: s.configParams,
        querystring: s.adminFilterQuery,
        response: { 202: s.remindAllResponse, ...refusals, ...rateLimitedResponses },
      },
    },
    async (request, reply) => {
      const r = await remindAllAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        filter: adminFilter(request.query),
      });
      return reply.status(202).send(r);
    },
  );

  app.post(
    `${admin}/nudge/`,
    {
      schema: {
        tags,
        summary:
          'Email accepted executive-education learners whose run starts in the given number of days (admins)',
        params: s.configParams,
        body: s.nudgeBody,
        response: { 200: s.nudgeResponse, ...refusals },
      },
    },
    async (request) =>
      nudgeAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuids: request.body.assignment_uuids,
        daysBeforeCourseStartDate: request.body.days_before_course_start_date,
      }),
  );

  app.get(
    `${configs}/:config_uuid/assignments/`,
    {
      schema: {
        tags,
        summary: "The caller's own assignments in a configuration",
        params: s.configParams,
        querystring: s.configurationListQuery.pick({ page: true, page_size: true }),
        response: { 200: pageSchema(s.learnerAssignmentView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const all = await listOwnAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
      });
      const start = (q.page - 1) * q.page_size;
      return toPage(request, q, all.length, all.slice(start, start + q.page_size));
    },
  );

  app.get(
    `${configs}/:config_uuid/assignments/:assignment_uuid/`,
    {
      schema: {
        tags,
        summary: "One of the caller's own assignments",
        params: s.configAssignmentParams,
        response: { 200: s.learnerAssignmentView, ...errorResponses },
      },
    },
    async (request) => {
      const [one] = await listOwnAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuid: request.params.assignment_uuid,
      });
      return one;
    },
  );

  app.post(
    `${configs}/:config_uuid/acknowledge-assignments/`,
    {
      schema: {
        tags,
        summary: 'Acknowledge cancelled or expired assignments (the learner)',
        params: s.configParams,
        body: s.assignmentUuidsBody,
        response: { 200: s.acknowledgeResponse, 201: s.acknowledgeResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const r = await acknowledgeAssignments(ctx, actor(request), {
        configurationUuid: request.params.config_uuid,
        assignmentUuids: request.body.assignment_uuids,
      });
      return reply.status(r.acknowledged_assignments.length > 0 ? 201 : 200).send(r);
    },
  );
};
