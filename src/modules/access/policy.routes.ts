import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { requestOrigin } from '../../http/urls.js';
import { ValidationFailed } from '../../shared/errors.js';
import { createPolicy } from './create-policy.js';
import { deletePolicy } from './delete-policy.js';
import { depositFunds } from './deposit-funds.js';
import { deleteGroupAssociation, groupMembersCsv, groupMembersOfPolicy } from './group-members.js';
import * as s from './policy.schemas.js';
import { policyView } from './policy.views.js';
import { getPolicy, listPolicies, type PolicyWithContext, withContext } from './read-policies.js';
import type { PolicyRow } from './schema.js';
import { updatePolicy } from './update-policy.js';

const tags = ['access'];
const api = '/api/v1/subsidy-access-policies';
const date = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null ? null : new Date(v);
const writeRefusals = { 422: errorSchema, ...errorResponses };

/**
 * Policy CRUD (docs/decisions/0004-idempotent-policy-create.md, 0003-retire-not-delete-policies.md),
 * groups, deposit funds (docs/decisions/0002-deposit-funds-raises-the-limit.md).
 */
export const policyRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  const view = (request: FastifyRequest, p: PolicyWithContext) =>
    policyView(p.policy, p.context, requestOrigin(request), ctx.clock.now());
  /** A freshly written policy as JSON: its spend and sums read after the commit. */
  const viewOf = async (request: FastifyRequest, row: PolicyRow) =>
    view(request, (await withContext(ctx, ctx.db.kysely, [row]))[0] as PolicyWithContext);

  app.get(
    `${api}/`,
    {
      schema: {
        tags,
        summary: "A customer's policies (learners, admins and operators of the customer)",
        querystring: s.policyListQuery,
        response: { 200: pageSchema(s.policyView), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listPolicies(ctx, actor(request), {
        enterpriseCustomerUuid: q.enterprise_customer_uuid,
        active: q.active,
        policyType: q.policy_type,
        ...pageWindow(q),
      });
      return toPage(
        request,
        q,
        count,
        results.map((r) => view(request, r)),
      );
    },
  );

  app.post(
    `${api}/`,
    {
      schema: {
        tags,
        summary: 'Create a policy, or get the active one it would duplicate (operators)',
        body: s.createPolicyBody,
        response: { 200: s.policyView, 201: s.policyView, ...writeRefusals },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { policy, created } = await createPolicy(ctx, actor(request), {
        policyType: b.policy_type,
        enterpriseCustomerUuid: b.enterprise_customer_uuid,
        catalogUuid: b.catalog_uuid,
        subsidyUuid: b.subsidy_uuid,
        accessMethod: b.access_method,
        displayName: b.display_name,
        description: b.description,
        active: b.active,
        retired: b.retired,
        spendLimit: b.spend_limit,
        perLearnerEnrollmentLimit: b.per_learner_enrollment_limit,
        perLearnerSpendLimit: b.per_learner_spend_limit,
        lateRedemptionAllowedUntil: date(b.late_redemption_allowed_until),
        groupAssociations: b.group_associations,
      });
      return reply.status(created ? 201 : 200).send(await viewOf(request, policy));
    },
  );

  app.get(
    `${api}/:uuid/`,
    {
      schema: {
        tags,
        summary: 'One policy',
        params: s.uuidParam,
        response: { 200: s.policyView, ...errorResponses },
      },
    },
    async (request) => view(request, await getPolicy(ctx, actor(request), request.params.uuid)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `${api}/:uuid/`,
      schema: {
        tags,
        summary: 'Change a policy; PUT is partial too (operators)',
        params: s.uuidParam,
        body: s.updatePolicyBody,
        response: { 200: s.policyView, ...writeRefusals },
      },
      handler: async (request) => {
        const b = request.body;
        const policy = await updatePolicy(ctx, actor(request), request.params.uuid, {
          sentKeys: Object.keys(b),
          changes: {
            displayName: b.display_name,
            description: b.description,
            active: b.active,
            retired: b.retired,
            retiredAt: date(b.retired_at),
            catalogUuid: b.catalog_uuid,
            subsidyUuid: b.subsidy_uuid,
            accessMethod: b.access_method,
            spendLimit: b.spend_limit,
            perLearnerSpendLimit: b.per_learner_spend_limit,
            perLearnerEnrollmentLimit: b.per_learner_enrollment_limit,
            lateRedemptionAllowedUntil: date(b.late_redemption_allowed_until),
            groupAssociations: b.group_associations,
            bnrEnabled: b.bnr_enabled,
          },
        });
        return viewOf(request, policy);
      },
    });
  }

  app.delete(
    `${api}/:uuid/`,
    {
      schema: {
        tags,
        summary: 'Deactivate a policy (soft delete; operators)',
        params: s.uuidParam,
        body: s.deletePolicyBody,
        response: { 200: s.policyView, ...writeRefusals },
      },
    },
    async (request) => {
      const policy = await deletePolicy(ctx, actor(request), request.params.uuid, {
        reason: request.body?.reason,
      });
      return viewOf(request, policy);
    },
  );

  app.post(
    `${api}/:uuid/deposit-funds/`,
    {
      schema: {
        tags,
        summary: "Deposit into the policy's subsidy and raise its spend limit by as much (operators)",
        description:
          "In one transaction: a deposit into the policy's subsidy and its spend limit raised by the same amount. Idempotent by `idempotency_key`: a retry with the same key and body answers 200 with the first deposit and neither deposits nor raises again; the same key with another amount or contract is a 409 `idempotency_key_conflict`. A call without a key (as Open edX's Django admin action makes it) is always a new deposit (201) that raises the limit again.",
        params: s.uuidParam,
        body: s.depositFundsBody,
        response: { 200: s.depositFundsView, 201: s.depositFundsView, 409: errorSchema, ...writeRefusals },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { policy, deposit, created } = await depositFunds(ctx, actor(request), request.params.uuid, {
        desiredDepositQuantityCents: b.desired_deposit_quantity_cents,
        salesContractReferenceId: b.sales_contract_reference_id,
        salesContractReferenceProvider: b.sales_contract_reference_provider,
        idempotencyKey: b.idempotency_key,
      });
      return reply.status(created ? 201 : 200).send({
        deposit: {
          uuid: deposit.uuid,
          ledger: deposit.ledger_uuid,
          desired_deposit_quantity: deposit.desired_deposit_quantity,
          transaction: deposit.transaction_uuid,
          sales_contract_reference_id: deposit.sales_contract_reference_id,
          sales_contract_reference_provider: deposit.sales_contract_reference_provider,
        },
        policy: await viewOf(request, policy),
      });
    },
  );

  app.get(
    `${api}/:uuid/group-members`,
    {
      schema: {
        tags,
        summary: "Members of the policy's group with their enrollment counts (JSON, or CSV with format_csv)",
        params: s.uuidParam,
        querystring: s.groupMembersQuery,
        response: { 200: z.union([pageSchema(s.groupMemberView), z.string()]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.page !== undefined && q.traverse_pagination) {
        throw ValidationFailed.field(
          'page',
          'Can only support one param of the following at a time: `page` or `traverse_pagination`',
          'page_and_traverse_pagination',
        );
      }
      const paging = { page: q.page ?? 1, page_size: q.page_size };
      const all = q.traverse_pagination || q.format_csv;
      const { count, rows } = await groupMembersOfPolicy(ctx, actor(request), request.params.uuid, {
        groupUuid: q.group_uuid,
        userQuery: q.user_query,
        sortBy: q.sort_by,
        reversed: q.is_reversed,
        learners: q.learners,
        all,
        ...pageWindow(paging),
      });
      if (q.format_csv) {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="group-members.csv"')
          .send(groupMembersCsv(rows));
      }
      if (all) return { count, num_pages: 1, current_page: 1, next: null, previous: null, results: rows };
      return toPage(request, paging, count, rows);
    },
  );

  app.delete(
    '/api/v1/:enterprise_uuid/delete-group-association/:group_uuid',
    {
      schema: {
        tags,
        summary: 'Remove a group from every policy of the customer (operators)',
        params: s.groupAssociationParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteGroupAssociation(ctx, actor(request), {
        enterpriseCustomerUuid: request.params.enterprise_uuid,
        groupUuid: request.params.group_uuid,
      });
      return reply.status(204).send(null);
    },
  );
};
