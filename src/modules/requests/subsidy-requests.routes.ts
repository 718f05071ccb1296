import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, toPage } from '../../http/pagination.js';
import {
  approveSubsidyRequests,
  createSubsidyRequest,
  declineSubsidyRequests,
  listSubsidyRequests,
  subsidyRequestsOverview,
} from './subsidy-requests.js';
import * as s from './subsidy-requests.schemas.js';

const tags = ['requests'];
const refusals = { 422: errorSchema, ...errorResponses };

const KINDS = [
  {
    type: 'license',
    path: '/api/v1/license-requests',
    what: 'License requests',
    view: s.licenseRequestView,
    approveBody: s.approveLicenseRequestsBody,
  },
  {
    type: 'coupon',
    path: '/api/v1/coupon-code-requests',
    what: 'Coupon code requests',
    view: s.couponCodeRequestView,
    approveBody: s.approveCouponCodeRequestsBody,
  },
] as const;

/**
 * enterprise-access's license and coupon code requests, for a Campus without licenses or codes:
 * the portals' calls are answered (empty lists, `[]` overview, refusals with reasons), never 404.
 */
export const subsidyRequestRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  for (const kind of KINDS) {
    app.get(
      `${kind.path}/`,
      {
        schema: {
          tags,
          summary: `${kind.what}: always empty (Campus has no ${kind.type === 'license' ? 'subscription licenses' : 'coupon codes'})`,
          querystring: s.subsidyRequestListQuery,
          response: { 200: pageSchema(kind.view), ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const { count, results } = await listSubsidyRequests(ctx, actor(request), {
          enterpriseCustomerUuid: q.enterprise_customer_uuid,
        });
        return toPage(request, q, count, results);
      },
    );

    app.post(
      `${kind.path}/`,
      {
        schema: {
          tags,
          summary: `Ask for a ${kind.type === 'license' ? 'license' : 'coupon code'}: refused (422) with the reason`,
          body: s.createSubsidyRequestBody,
          response: { 201: kind.view, ...refusals },
        },
      },
      async (request) =>
        createSubsidyRequest(ctx, actor(request), {
          type: kind.type,
          enterpriseCustomerUuid: request.body.enterprise_customer_uuid,
          courseId: request.body.course_id,
        }),
    );

    app.get(
      `${kind.path}/overview/`,
      {
        schema: {
          tags,
          summary: `Counts by state of an enterprise's ${kind.what.toLowerCase()} (admins and operators): []`,
          querystring: s.subsidyRequestOverviewQuery,
          response: { 200: s.subsidyRequestOverviewView, ...errorResponses },
        },
      },
      async (request) =>
        subsidyRequestsOverview(actor(request), {
          enterpriseCustomerUuid: request.query.enterprise_customer_uuid,
        }),
    );

    app.post(
      `${kind.path}/approve/`,
      {
        schema: {
          tags,
          summary: `Approve ${kind.what.toLowerCase()} (admins): 422, none available to assign`,
          body: kind.approveBody,
          response: { 200: kind.view.array(), ...refusals },
        },
      },
      async (request) => {
        const b = request.body;
        return 'coupon_id' in b
          ? approveSubsidyRequests(actor(request), {
              type: 'coupon',
              enterpriseCustomerUuid: b.enterprise_customer_uuid,
              couponId: b.coupon_id,
            })
          : approveSubsidyRequests(actor(request), {
              type: 'license',
              enterpriseCustomerUuid: b.enterprise_customer_uuid,
              subscriptionPlanUuid: b.subscription_plan_uuid,
            });
      },
    );

    app.post(
      `${kind.path}/decline/`,
      {
        schema: {
          tags,
          summary: `Decline ${kind.what.toLowerCase()} (admins): none are open, so []`,
          body: s.declineSubsidyRequestsBody,
          response: { 200: kind.view.array(), ...refusals },
        },
      },
      async (request) =>
        declineSubsidyRequests(actor(request), {
          enterpriseCustomerUuid: request.body.enterprise_customer_uuid,
        }),
    );
  }
};
