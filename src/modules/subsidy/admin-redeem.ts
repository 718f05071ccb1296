import type { AppContext } from '../../context.js';
import { BusinessRule } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { contentPrice } from '../catalog/index.js';
import { customerCatalogsContaining } from '../enterprise/index.js';
import {
  committedCountsByLearner,
  getBalances,
  learnerContentTransactions,
  type TransactionWithReversal,
} from '../ledger/index.js';
import { fulfillThroughLms } from './lms-fulfillment.js';
import { loadSubsidyFor } from './read-subsidies.js';
import { type Redemption, redeemInTransaction } from './redeem.js';
import { isActive, isSubsidyAdmin } from './subsidy.access.js';

export interface AdminRedeemInput {
  lmsUserId: number;
  contentKey: string;
  policyUuid: string;
  idempotencyKey?: string | null;
  requestedPriceCents?: number | null;
  metadata?: Record<string, unknown> | null;
}

async function requireInCustomerCatalogs(
  ctx: AppContext,
  customerUuid: string,
  contentKey: string,
): Promise<void> {
  const catalogs = await customerCatalogsContaining(ctx.db.kysely, customerUuid, [contentKey]);
  if (catalogs.length === 0) {
    throw new BusinessRule(
      'content_not_found',
      'The given content_key is not in any catalog for this customer.',
    );
  }
}

/** The operator API's redemption (v2 admin transactions): 201 when new, 200 for an existing one. */
export async function adminRedeem(
  ctx: AppContext,
  actor: Principal,
  subsidyUuid: string,
  input: AdminRedeemInput,
): Promise<Redemption> {
  requireOperator(actor);
  const subsidy = await loadSubsidyFor(ctx.db.kysely, actor, subsidyUuid);
  await requireInCustomerCatalogs(ctx, subsidy.enterprise_customer_uuid, input.contentKey);
  const redemption = await ctx.db.transaction((trx) =>
    redeemInTransaction(ctx, trx, {
      subsidyUuid,
      lmsUserId: input.lmsUserId,
      contentKey: input.contentKey,
      policyUuid: input.policyUuid,
      idempotencyKey: input.idempotencyKey,
      requestedPriceCents: input.requestedPriceCents,
      metadata: input.metadata,
      // An operator's directive, as enterprise-access sends it to enterprise-subsidy for a late redemption.
      allowLateEnrollment: input.metadata?.allow_late_enrollment === true,
      throughLms: Boolean(ctx.lms),
    }),
  );
  if (!ctx.lms || !redemption.created || redemption.transaction.state !== 'pending') return redemption;
  // Committed, and no lock held: the LMS enrolls the learner now (lms-fulfillment.ts).
  const fulfilled = await fulfillThroughLms(ctx, ctx.lms, redemption);
  if (fulfilled.outcome === 'refused') {
    // As enterprise-subsidy answers it: the transaction failed, 422 enrollment_error.
    throw new BusinessRule(
      'enrollment_error',
      `The LMS did not enroll the learner in ${redemption.transaction.content_key}; nothing was charged.`,
      { transaction_uuid: redemption.transaction.uuid },
    );
  }
  return fulfilled.redemption;
}

export interface SubsidyCanRedeem {
  can_redeem: boolean;
  content_price: number | null;
  unit: string;
  all_transactions: TransactionWithReversal[];
  active: boolean;
}

/**
 * Whether the subsidy alone could pay for the content (v1 can_redeem): not already redeemed, a
 * known price, enough balance. Policy rules are the access module's.
 */
export async function subsidyCanRedeem(
  ctx: AppContext,
  actor: Principal,
  subsidyUuid: string,
  input: { lmsUserId: number; contentKey: string },
): Promise<SubsidyCanRedeem> {
  const subsidy = await loadSubsidyFor(ctx.db.kysely, actor, subsidyUuid, isSubsidyAdmin);
  const [balances, price, all] = await Promise.all([
    getBalances(ctx.db.kysely, subsidy.ledger_uuid),
    contentPrice(ctx, ctx.db.kysely, input.contentKey),
    learnerContentTransactions(ctx.db.kysely, subsidy.ledger_uuid, input.lmsUserId, input.contentKey),
  ]);
  const redeemed = all.some((t) => t.state === 'committed' && t.reversal === null);
  return {
    can_redeem: !redeemed && price !== null && balances.balance >= price,
    content_price: price,
    unit: balances.unit,
    all_transactions: all,
    active: isActive(subsidy, ctx.clock.now()),
  };
}

/** Committed, non-reversed redemptions per learner. */
export async function aggregatesByLearner(
  ctx: AppContext,
  actor: Principal,
  subsidyUuid: string,
  policyUuid?: string,
): Promise<Array<{ lms_user_id: number; total: number }>> {
  const subsidy = await loadSubsidyFor(ctx.db.kysely, actor, subsidyUuid, isSubsidyAdmin);
  return committedCountsByLearner(ctx.db.kysely, subsidy.ledger_uuid, policyUuid);
}
