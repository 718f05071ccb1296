import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { Principal } from '../../shared/principal.js';
import { policyNotFound, requireReadPolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import type { PolicyContext } from './policy.views.js';
import type { PolicyRow, PolicyType } from './schema.js';
import { spendOfPolicies } from './spend.js';

export interface PolicyWithContext {
  policy: PolicyRow;
  context: PolicyContext;
}

/**
 * Spend, groups and the subsidy's sum of spend limits for many policies: a bounded number of reads
 * (a few per distinct subsidy) whatever the number of policies or their history.
 */
export async function withContext(
  ctx: AppContext,
  db: Executor,
  rows: PolicyRow[],
): Promise<PolicyWithContext[]> {
  const subsidyUuids = [...new Set(rows.map((p) => p.subsidy_uuid))];
  const [spend, groups, limits] = await Promise.all([
    spendOfPolicies(ctx, db, rows),
    policies.groupsOf(
      db,
      rows.map((p) => p.uuid),
    ),
    Promise.all(
      subsidyUuids.map(async (s) => [s, sumOfSpendLimits(await policies.activeOfSubsidy(db, s))] as const),
    ),
  ]);
  const limitBySubsidy = new Map(limits);
  return rows.map((policy) => ({
    policy,
    context: {
      spend: spend.get(policy.uuid) as PolicyContext['spend'],
      groups: groups.get(policy.uuid) ?? [],
      totalSpendLimitsForSubsidy: limitBySubsidy.get(policy.subsidy_uuid) ?? 0,
    },
  }));
}

/**
 * The left-hand side of docs/decisions/0001-spend-limits-within-deposits.md: the spend limits of
 * active policies, null (unlimited) counting 0.
 */
export function sumOfSpendLimits(active: Pick<PolicyRow, 'spend_limit'>[]): number {
  return active.reduce((sum, p) => sum + (p.spend_limit ?? 0), 0);
}

/** A policy for someone who may read it: 404 when it does not exist, 403 for another enterprise. */
export async function loadReadablePolicy(db: Executor, actor: Principal, uuid: string): Promise<PolicyRow> {
  const policy = await policies.getById(db, uuid);
  if (!policy) throw policyNotFound(uuid);
  requireReadPolicies(actor, policy.enterprise_customer_uuid);
  return policy;
}

export async function getPolicy(ctx: AppContext, actor: Principal, uuid: string): Promise<PolicyWithContext> {
  const policy = await loadReadablePolicy(ctx.db.kysely, actor, uuid);
  const [one] = await withContext(ctx, ctx.db.kysely, [policy]);
  return one as PolicyWithContext;
}

/** A customer's policies, retired and inactive ones included unless filtered, newest first. */
export async function listPolicies(
  ctx: AppContext,
  actor: Principal,
  input: {
    enterpriseCustomerUuid: string;
    active?: boolean;
    policyType?: PolicyType;
    offset: number;
    limit: number;
  },
): Promise<{ count: number; results: PolicyWithContext[] }> {
  requireReadPolicies(actor, input.enterpriseCustomerUuid);
  const filter = {
    enterpriseCustomerUuid: input.enterpriseCustomerUuid,
    active: input.active,
    policyType: input.policyType,
  };
  const { count, rows } = await policies.list(ctx.db.kysely, filter, input);
  return { count, results: await withContext(ctx, ctx.db.kysely, rows) };
}
