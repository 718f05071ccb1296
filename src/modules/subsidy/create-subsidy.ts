import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { getEnterpriseCustomer } from '../enterprise/index.js';
import { createLedger, type LedgerUnit } from '../ledger/index.js';
import type { RevenueCategory, SubsidyRow } from './schema.js';
import * as subsidies from './subsidy.repository.js';

export interface CreateSubsidyInput {
  referenceId: string | null;
  referenceType?: string;
  title: string | null;
  enterpriseCustomerUuid: string;
  activeDatetime: Date | null;
  expirationDatetime: Date | null;
  unit: LedgerUnit;
  startingBalanceCents: number;
  revenueCategory: RevenueCategory;
  internalOnly: boolean;
}

/**
 * Gets or creates a learner-credit subsidy. A customer-facing subsidy is found by its sales
 * contract reference (the `default_*` fields then apply only to a new one); an internal-only one
 * is always new. The ledger and its initial deposit (the starting balance) are made in the same
 * transaction, so a subsidy never exists without its money.
 */
export async function getOrCreateSubsidy(
  ctx: AppContext,
  actor: Principal,
  input: CreateSubsidyInput,
): Promise<{ subsidy: SubsidyRow; created: boolean }> {
  requireOperator(actor);
  const referenceType = input.referenceType ?? 'salesforce_opportunity_line_item';
  if (input.activeDatetime && input.expirationDatetime && input.activeDatetime > input.expirationDatetime) {
    throw ValidationFailed.field(
      'default_expiration_datetime',
      'must not be before the active datetime',
      'invalid_dates',
    );
  }
  const create = () =>
    ctx.db.transaction(async (trx) => {
      if (!(await getEnterpriseCustomer(trx, input.enterpriseCustomerUuid))) {
        throw ValidationFailed.field(
          'default_enterprise_customer_uuid',
          `No enterprise customer ${input.enterpriseCustomerUuid}.`,
          'unknown_enterprise_customer',
        );
      }
      if (!input.internalOnly && input.referenceId) {
        const existing = await subsidies.getByReference(trx, input.referenceId, referenceType);
        if (existing) return { subsidy: existing, created: false };
      }
      const uuid = ctx.ids.uuid();
      const ledger = await createLedger(ctx, trx, {
        subsidyUuid: uuid,
        unit: input.unit,
        initialDeposit: {
          quantity: input.startingBalanceCents,
          salesContractReferenceId: input.referenceId ?? `internal-${uuid}`,
          salesContractReferenceProvider: referenceType,
        },
      });
      const now = ctx.clock.now();
      const subsidy = await subsidies.insert(trx, {
        uuid,
        title: input.title,
        enterprise_customer_uuid: input.enterpriseCustomerUuid,
        ledger_uuid: ledger.uuid,
        unit: input.unit,
        starting_balance_cents: input.startingBalanceCents,
        reference_id: input.referenceId,
        reference_type: referenceType,
        internal_only: input.internalOnly,
        revenue_category: input.revenueCategory,
        active_datetime: input.activeDatetime,
        expiration_datetime: input.expirationDatetime,
        created: now,
        modified: now,
      });
      return { subsidy, created: true };
    });
  try {
    return await create();
  } catch (err) {
    // Two requests for the same contract raced: the loser answers with the winner's subsidy.
    if (isUniqueViolation(err, 'subsidies_reference') && input.referenceId) {
      const existing = await subsidies.getByReference(ctx.db.kysely, input.referenceId, referenceType);
      if (existing) return { subsidy: existing, created: false };
    }
    throw err;
  }
}
