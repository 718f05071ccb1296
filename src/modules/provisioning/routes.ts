import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import {
  workflowDetail,
  workflowDetailView,
  workflowSummary,
  workflowSummaryView,
} from '../workflows/index.js';
import { provisionCustomer, resumeProvisioning } from './provision.js';
import * as s from './provisioning.schemas.js';
import { getProvisioningWorkflow, listProvisioningWorkflows } from './read-workflows.js';

const tags = ['provisioning'];
const api = '/api/v1/provisioning';
const refusals = { ...errorResponses, 409: errorSchema, 422: errorSchema };

/** enterprise-access's provisioning endpoint (no trailing slash there; both forms work) and the runs. */
export const provisioningRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.post(
    api,
    {
      schema: {
        tags,
        summary: 'Provision a customer: customer, admins, catalog, subsidy, policies (provisioning admins)',
        description:
          'Idempotent by slug: the same request again answers with the same records. A failed step answers 422 with the workflow_uuid to resume.',
        body: s.provisioningBody,
        response: { 201: s.provisioningView, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await provisionCustomer(ctx, actor(request), request.body)),
  );

  app.get(
    `${api}/workflows/`,
    {
      schema: {
        tags,
        summary: 'Provisioning runs, newest first, optionally in one state (provisioning admins, operators)',
        querystring: s.workflowListQuery,
        response: { 200: pageSchema(workflowSummaryView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listProvisioningWorkflows(ctx, actor(request), {
        state: q.state,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(workflowSummary));
    },
  );

  app.get(
    `${api}/workflows/:uuid/`,
    {
      schema: {
        tags,
        summary: 'One provisioning run with its steps: inputs, outputs, errors',
        params: s.workflowParams,
        response: { 200: workflowDetailView, ...errorResponses },
      },
    },
    async (request) =>
      workflowDetail(await getProvisioningWorkflow(ctx, actor(request), request.params.uuid)),
  );

  app.post(
    `${api}/workflows/:uuid/resume/`,
    {
      schema: {
        tags,
        summary: 'Run a provisioning workflow again from the step where it stopped',
        params: s.workflowParams,
        response: { 200: s.provisioningView, ...refusals },
      },
    },
    async (request) => resumeProvisioning(ctx, actor(request), request.params.uuid),
  );
};
