import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { requestOrigin } from '../../http/urls.js';
import { historyRoute } from '../history/index.js';
import { depositToSubsidy } from './admin-deposit.js';
import { adminRedeem, aggregatesByLearner, subsidyCanRedeem } from './admin-redeem.js';
import { getOrCreateSubsidy } from './create-subsidy.js';
import { getSubsidy, listSubsidies } from './read-subsidies.js';
import { operatorReverse } from './refund.js';
import * as s from './subsidy.schemas.js';
import { subsidyHistory } from './subsidy-history.js';
import { getSubsidyTransaction, listSubsidyTransactions } from './transactions.js';
import { deleteSubsidy, updateSubsidy } from './update-subsidy.js';
import { type Links, subsidyView, transactionView } from './views.js';

const date = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null ? null : new Date(v);
const tags = ['subsidy'];

export const subsidyRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const links = (request: FastifyRequest): Links => ({
    origin: requestOrigin(request),
    learningUrl: ctx.config.learningMfeUrl,
  });

  app.get(
    '/api/v1/subsidies/',
    {
      schema: {
        tags,
        summary: 'Subsidies of the enterprises the caller administers',
        querystring: s.subsidyListQuery,
        response: { 200: pageSchema(s.subsidyView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listSubsidies(ctx, actor(request), {
        enterpriseCustomerUuid: q.enterprise_customer_uuid,
        uuid: q.uuid,
        title: q.title,
        sortBy: q.sort_by.replace(/^-/, '') as 'uuid',
        descending: q.sort_by.startsWith('-'),
        ...pageWindow(q),
      });
      const now = ctx.clock.now();
      return toPage(
        request,
        q,
        count,
        results.map((r) => subsidyView(r.subsidy, r.balances, now)),
      );
    },
  );

  app.post(
    '/api/v1/subsidies/',
    {
      schema: {
        tags,
        summary: 'Get or create a subsidy by its sales contract reference (operators)',
        body: s.createSubsidyBody,
        response: { 200: s.subsidyView, 201: s.subsidyView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { subsidy, created } = await getOrCreateSubsidy(ctx, actor(request), {
        referenceId: b.reference_id,
        title: b.default_title,
        enterpriseCustomerUuid: b.default_enterprise_customer_uuid,
        activeDatetime: date(b.default_active_datetime) ?? null,
        expirationDatetime: date(b.default_expiration_datetime) ?? null,
        unit: b.default_unit,
        startingBalanceCents: b.default_starting_balance,
        revenueCategory: b.default_revenue_category,
        internalOnly: b.default_internal_only,
      });
      const { balances } = await getSubsidy(ctx, actor(request), subsidy.uuid);
      return reply.status(created ? 201 : 200).send(subsidyView(subsidy, balances, ctx.clock.now()));
    },
  );

  historyRoute(app, {
    url: '/api/v1/subsidies/:uuid/history/',
    tag: 'subsidy',
    what: 'a subsidy',
    read: (who, { params, ...page }) => subsidyHistory(ctx, who, { uuid: params.uuid ?? '', ...page }),
  });

  app.get(
    '/api/v1/subsidies/:uuid/',
    {
      schema: {
        tags,
        summary: 'One subsidy',
        params: s.uuidParam,
        response: { 200: s.subsidyView, ...errorResponses },
      },
    },
    async (request) => {
      const { subsidy, balances } = await getSubsidy(ctx, actor(request), request.params.uuid);
      return subsidyView(subsidy, balances, ctx.clock.now());
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/v1/subsidies/:uuid/',
      schema: {
        tags,
        summary: 'Change a subsidy (operators)',
        params: s.uuidParam,
        body: s.updateSubsidyBody,
        response: { 200: s.subsidyView, ...errorResponses },
      },
      handler: async (request) => {
        const b = request.body;
        await updateSubsidy(ctx, actor(request), request.params.uuid, {
          title: b.title,
          activeDatetime: date(b.active_datetime),
          expirationDatetime: date(b.expiration_datetime),
          referenceId: b.reference_id,
          internalOnly: b.internal_only,
          revenueCategory: b.revenue_category,
        });
        const { subsidy, balances } = await getSubsidy(ctx, actor(request), request.params.uuid);
        return subsidyView(subsidy, balances, ctx.clock.now());
      },
    });
  }

  app.delete(
    '/api/v1/subsidies/:uuid/',
    {
      schema: {
        tags,
        summary: 'Soft-delete a subsidy (operators)',
        params: s.uuidParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSubsidy(ctx, actor(request), request.params.uuid);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/subsidies/:uuid/can_redeem/',
    {
      schema: {
        tags,
        summary: 'Whether the subsidy could pay for a content key for a learner',
        params: s.uuidParam,
        querystring: s.canRedeemQuery,
        response: {
          200: z.object({
            can_redeem: z.boolean(),
            content_price: z.number().int().nullable(),
            unit: z.string(),
            all_transactions: z.array(s.transactionView),
            active: z.boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await subsidyCanRedeem(ctx, actor(request), request.params.uuid, {
        lmsUserId: request.query.lms_user_id,
        contentKey: request.query.content_key,
      });
      return {
        ...r,
        all_transactions: r.all_transactions.map((t) => transactionView(t, r.unit, links(request))),
      };
    },
  );

  app.get(
    '/api/v1/subsidies/:uuid/aggregates-by-learner',
    {
      schema: {
        tags,
        summary: 'Committed, non-reversed redemptions per learner',
        params: s.uuidParam,
        querystring: z.object({ subsidy_access_policy_uuid: z.uuid().optional() }),
        response: {
          200: z.array(z.object({ lms_user_id: z.number().int(), total: z.number().int() })),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      aggregatesByLearner(ctx, actor(request), request.params.uuid, request.query.subsidy_access_policy_uuid),
  );

  const listHandler =
    (scope: 'all' | 'own' | 'admin') =>
    async (request: FastifyRequest, q: z.infer<typeof s.transactionListQuery>, subsidyUuid: string) => {
      const page = await listSubsidyTransactions(ctx, actor(request), {
        subsidyUuid,
        lmsUserId: q.lms_user_id,
        contentKey: q.content_key,
        policyUuid: q.subsidy_access_policy_uuid,
        states: q.state,
        search: q.search,
        orderBy:
          s.TRANSACTION_ORDERINGS[q.ordering.replace(/^-/, '') as keyof typeof s.TRANSACTION_ORDERINGS],
        descending: q.ordering.startsWith('-'),
        includeAggregates: q.include_aggregates,
        ownOnly: scope === 'own',
        adminOnly: scope === 'admin',
        ...pageWindow(q),
      });
      const body = toPage(
        request,
        q,
        page.count,
        page.results.map((t) => transactionView(t, page.subsidy.unit, links(request))),
      );
      return page.aggregates ? { ...body, aggregates: page.aggregates } : body;
    };

  app.get(
    '/api/v1/transactions/',
    {
      schema: {
        tags,
        summary: "A subsidy's transactions (learners see their own)",
        querystring: s.v1TransactionListQuery,
        response: { 200: s.transactionPage, ...errorResponses },
      },
    },
    async (request) => listHandler('all')(request, request.query, request.query.subsidy_uuid),
  );

  app.get(
    '/api/v1/transactions/:uuid/',
    {
      schema: {
        tags,
        summary: 'One transaction (the URL a learner polls after redeeming)',
        params: s.uuidParam,
        response: { 200: s.transactionView, ...errorResponses },
      },
    },
    async (request) => {
      const { transaction, subsidy } = await getSubsidyTransaction(ctx, actor(request), request.params.uuid);
      return transactionView(transaction, subsidy.unit, links(request));
    },
  );

  app.get(
    '/api/v2/subsidies/:subsidy_uuid/admin/transactions/',
    {
      schema: {
        tags,
        summary: "The admin portal's Spent table: a subsidy's transactions with filters and ordering",
        params: s.subsidyParam,
        querystring: s.transactionListQuery,
        response: { 200: s.transactionPage, ...errorResponses },
      },
    },
    async (request) => listHandler('admin')(request, request.query, request.params.subsidy_uuid),
  );

  app.get(
    '/api/v2/subsidies/:subsidy_uuid/transactions/',
    {
      schema: {
        tags,
        summary: "The caller's own transactions in a subsidy",
        params: s.subsidyParam,
        querystring: s.transactionListQuery,
        response: { 200: s.transactionPage, ...errorResponses },
      },
    },
    async (request) => listHandler('own')(request, request.query, request.params.subsidy_uuid),
  );

  app.post(
    '/api/v2/subsidies/:subsidy_uuid/admin/transactions/',
    {
      schema: {
        tags,
        summary: 'Redeem content for a learner from a subsidy (operators)',
        params: s.subsidyParam,
        body: s.adminRedeemBody,
        response: {
          200: s.transactionView,
          201: s.transactionView,
          409: errorSchema,
          422: errorSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await adminRedeem(ctx, actor(request), request.params.subsidy_uuid, {
        lmsUserId: b.lms_user_id,
        contentKey: b.content_key,
        policyUuid: b.subsidy_access_policy_uuid,
        idempotencyKey: b.idempotency_key,
        requestedPriceCents: b.requested_price_cents,
        metadata: b.metadata,
      });
      return reply
        .status(r.created ? 201 : 200)
        .send(transactionView(r.transaction, r.subsidy.unit, links(request)));
    },
  );

  app.post(
    '/api/v2/subsidies/:subsidy_uuid/admin/deposits/',
    {
      schema: {
        tags,
        summary: 'Deposit contract-backed value into a subsidy (operators)',
        description:
          'Adds a committed deposit backed by a sales contract. Idempotent by `idempotency_key`: a retry with the same key and body answers 200 with the first deposit and adds nothing; the same key with another amount or contract is a 409 `idempotency_key_conflict`. A call without a key is always a new deposit (201), so two equal top-ups on one contract are two deposits; send a key to make retries safe.',
        params: s.subsidyParam,
        body: s.depositBody,
        response: {
          200: s.depositView,
          201: s.depositView,
          409: errorSchema,
          422: errorSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { deposit, created } = await depositToSubsidy(ctx, actor(request), request.params.subsidy_uuid, {
        desiredDepositQuantity: b.desired_deposit_quantity,
        salesContractReferenceId: b.sales_contract_reference_id,
        salesContractReferenceProvider: b.sales_contract_reference_provider,
        idempotencyKey: b.idempotency_key,
        metadata: b.metadata,
      });
      return reply.status(created ? 201 : 200).send({
        uuid: deposit.uuid,
        ledger: deposit.ledger_uuid,
        desired_deposit_quantity: deposit.desired_deposit_quantity,
        transaction: deposit.transaction_uuid,
        sales_contract_reference_id: deposit.sales_contract_reference_id,
        sales_contract_reference_provider: deposit.sales_contract_reference_provider,
      });
    },
  );

  app.post(
    '/api/v2/transactions/:uuid/reverse/',
    {
      schema: {
        tags,
        summary: 'Reverse (refund) a redemption and cancel its enrollment (operators)',
        params: s.uuidParam,
        body: s.reverseBody.optional(),
        response: { 200: s.transactionView, 409: errorSchema, 422: errorSchema, ...errorResponses },
      },
    },
    async (request) => {
      const t = await operatorReverse(ctx, actor(request), request.params.uuid, {
        idempotencyKey: request.body?.idempotency_key,
        reason: request.body?.reason,
      });
      const { subsidy } = await getSubsidyTransaction(ctx, actor(request), t.uuid);
      return transactionView(t, subsidy.unit, links(request));
    },
  );
};
