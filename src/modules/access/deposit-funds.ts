import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { amountOutOfRange, type DepositRow } from '../ledger/index.js';
import { depositInTransaction } from '../subsidy/index.js';
import { policyNotFound, requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import type { PolicyRow } from './schema.js';

export interface DepositFundsInput {
  desiredDepositQuantityCents: number;
  salesContractReferenceId: string;
  salesContractReferenceProvider: string;
  idempotencyKey?: string;
}

/**
 * Deposit funds (docs/decisions/0002-deposit-funds-raises-the-limit.md) as one transaction: lock
 * the policy row, deposit into its subsidy (which locks the ledger row: the lock order of
 * ledger/lock-order.ts), and raise the policy's spend limit by the same amount — only when the
 * deposit is new, so a retried key neither deposits nor raises twice, while a call without a key
 * (as Open edX's admin action makes it) is a new deposit and raises again. The sum of limits grows
 * with the deposits, so docs/decisions/0001-spend-limits-within-deposits.md holds without a check.
 * An unlimited policy (null) stays so.
 */
export async function depositFunds(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: DepositFundsInput,
): Promise<{ policy: PolicyRow; deposit: DepositRow; created: boolean }> {
  requireWritePolicies(actor);
  return ctx.db.transaction(async (trx) => {
    const policy = await policies.lockById(trx, uuid);
    if (!policy) throw policyNotFound(uuid);
    const { deposit, created } = await depositInTransaction(ctx, trx, policy.subsidy_uuid, {
      desiredDepositQuantity: input.desiredDepositQuantityCents,
      salesContractReferenceId: input.salesContractReferenceId,
      salesContractReferenceProvider: input.salesContractReferenceProvider,
      idempotencyKey: input.idempotencyKey ?? null,
      metadata: { subsidy_access_policy_uuid: uuid, requested_by_lms_user_id: actor.lmsUserId },
    });
    if (!created || policy.spend_limit === null) return { policy, deposit, created };
    // Refused as a whole (the deposit above rolls back with it) rather than stored beyond 2^53.
    if (!Number.isSafeInteger(policy.spend_limit + deposit.desired_deposit_quantity))
      throw amountOutOfRange('spend limit');
    const raised = await policies.update(trx, uuid, {
      spend_limit: policy.spend_limit + deposit.desired_deposit_quantity,
      modified: ctx.clock.now(),
    });
    return { policy: raised, deposit, created };
  });
}
