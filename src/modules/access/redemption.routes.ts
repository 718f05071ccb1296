import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { requestOrigin } from '../../http/urls.js';
import { type TransactionLinks, transactionView, transactionViewSchema } from '../subsidy/index.js';
import { canRedeem } from './can-redeem.js';
import { creditsAvailable } from './credits-available.js';
import { policyAttempts } from './read-attempts.js';
import { redeemThroughPolicy } from './redeem.js';
import * as s from './redemption.schemas.js';

const tags = ['access'];
const refusal = errorSchema.extend({ reasons: z.array(s.reasonObject).optional() });

export const redemptionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const links = (request: FastifyRequest): TransactionLinks => ({
    origin: requestOrigin(request),
    learningUrl: ctx.config.learningMfeUrl,
  });

  app.get(
    '/api/v1/policy-redemption/enterprise-customer/:enterprise_customer_uuid/can-redeem/',
    {
      schema: {
        tags,
        summary: 'For each content key: whether the learner can redeem it, through which policy, or why not',
        params: s.customerParam,
        querystring: s.canRedeemQuery,
        response: {
          200: z.array(
            z.object({
              content_key: z.string(),
              list_price: z.object({ usd: z.number(), usd_cents: z.number().int() }).nullable(),
              redemptions: z.array(
                transactionViewSchema.extend({ policy_redemption_status_url: z.string() }),
              ),
              has_successful_redemption: z.boolean(),
              redeemable_subsidy_access_policy: s.policyModel.nullable(),
              can_redeem: z.boolean(),
              reasons: z.array(s.reasonObject),
              display_reason: s.reasonObject.nullable(),
            }),
          ),
          422: errorSchema,
          ...errorResponses,
        },
      },
    },
    async (request) =>
      canRedeem(ctx, actor(request), {
        enterpriseCustomerUuid: request.params.enterprise_customer_uuid,
        contentKeys: request.query.content_key,
        lmsUserId: request.query.lms_user_id,
        links: links(request),
      }),
  );

  app.post(
    '/api/v1/policy-redemption/:policy_uuid/redeem/',
    {
      schema: {
        tags,
        summary: 'Redeem content through a policy: reserve, enroll and commit in one transaction',
        params: s.policyParam,
        body: s.redeemBody,
        response: {
          200: transactionViewSchema,
          201: transactionViewSchema,
          409: errorSchema,
          422: refusal,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const who = actor(request);
      const { redemption } = await redeemThroughPolicy(ctx, who, {
        policyUuid: request.params.policy_uuid,
        lmsUserId: request.body.lms_user_id ?? who.lmsUserId,
        contentKey: request.body.content_key,
        metadata: request.body.metadata ?? null,
      });
      return reply
        .status(redemption.created ? 201 : 200)
        .send(transactionView(redemption.transaction, redemption.subsidy.unit, links(request)));
    },
  );

  app.post(
    '/api/v1/policy-redemption/:policy_uuid/force-redeem/',
    {
      schema: {
        tags,
        summary: 'Operators: redeem for a learner past the enrollment deadline, recording who and why',
        params: s.policyParam,
        body: s.forceRedeemBody,
        response: {
          200: transactionViewSchema,
          201: transactionViewSchema,
          409: errorSchema,
          422: refusal,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { redemption } = await redeemThroughPolicy(ctx, actor(request), {
        policyUuid: request.params.policy_uuid,
        lmsUserId: request.body.lms_user_id,
        contentKey: request.body.content_key,
        metadata: request.body.metadata ?? null,
        forced: { reason: request.body.reason, contentPriceCents: request.body.content_price_cents },
      });
      return reply
        .status(redemption.created ? 201 : 200)
        .send(transactionView(redemption.transaction, redemption.subsidy.unit, links(request)));
    },
  );

  app.get(
    '/api/v1/policy-redemption/credits_available/',
    {
      schema: {
        tags,
        summary: 'The policies the learner can use now, with what is left',
        querystring: s.creditsAvailableQuery,
        response: { 200: z.array(s.creditAvailable), ...errorResponses },
      },
    },
    async (request) =>
      creditsAvailable(ctx, actor(request), {
        enterpriseCustomerUuid: request.query.enterprise_customer_uuid,
        lmsUserId: request.query.lms_user_id,
        origin: requestOrigin(request),
      }),
  );

  app.get(
    '/api/v1/policy-redemption/:policy_uuid/attempts/',
    {
      schema: {
        tags,
        summary: 'Every redeem call on a policy, with its outcome (admins and operators)',
        params: s.policyParam,
        querystring: s.attemptsQuery,
        response: { 200: pageSchema(s.attemptView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await policyAttempts(ctx, actor(request), {
        policyUuid: request.params.policy_uuid,
        lmsUserId: q.lms_user_id,
        outcome: q.outcome,
        ...pageWindow(q),
      });
      return toPage(
        request,
        q,
        count,
        rows.map((r) => ({ ...r, created: r.created.toISOString() })),
      );
    },
  );
};
