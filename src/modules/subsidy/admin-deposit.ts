import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { BusinessRule } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { createDeposit, type DepositRow } from '../ledger/index.js';
import { subsidyNotFound } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

export interface AdminDepositInput {
  desiredDepositQuantity: number;
  salesContractReferenceId: string;
  salesContractReferenceProvider: string;
  idempotencyKey?: string | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * Deposits into a subsidy that has not expired, inside the caller's transaction (no actor: the
 * caller authorized). `created` is false when the idempotency key names an earlier deposit; a
 * call without a key is always a new deposit (see createDeposit).
 */
export async function depositInTransaction(
  ctx: AppContext,
  trx: Trx,
  subsidyUuid: string,
  input: AdminDepositInput,
): Promise<{ deposit: DepositRow; created: boolean }> {
  const subsidy = await subsidies.getById(trx, subsidyUuid);
  if (!subsidy) throw subsidyNotFound(subsidyUuid);
  if (subsidy.expiration_datetime && subsidy.expiration_datetime < ctx.clock.now()) {
    throw new BusinessRule('deposit_on_expired_subsidy', 'Cannot create a deposit in an expired subsidy.');
  }
  const { deposit, created } = await createDeposit(ctx, trx, {
    ledgerUuid: subsidy.ledger_uuid,
    quantity: input.desiredDepositQuantity,
    salesContractReferenceId: input.salesContractReferenceId,
    salesContractReferenceProvider: input.salesContractReferenceProvider,
    idempotencyKey: input.idempotencyKey ?? undefined,
    metadata: input.metadata ?? null,
  });
  return { deposit, created };
}

/**
 * Operators add contract-backed value to a subsidy that has not expired; a retried key returns the
 * first deposit, and a keyless call is a new one (two equal top-ups on one contract are two).
 */
export async function depositToSubsidy(
  ctx: AppContext,
  actor: Principal,
  subsidyUuid: string,
  input: AdminDepositInput,
): Promise<{ deposit: DepositRow; created: boolean }> {
  requireOperator(actor);
  return ctx.db.transaction((trx) => depositInTransaction(ctx, trx, subsidyUuid, input));
}
