import type { AppContext } from '../../context.js';
import { Conflict } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { type CreateSubsidyInput, getOrCreateSubsidy } from './create-subsidy.js';
import type { SubsidyRow } from './schema.js';

/**
 * Like getOrCreateSubsidy, but an internal-only subsidy is found by its reference too, within the
 * customer: for callers that name every subsidy they make with a stable reference (provisioning
 * derives it from the customer's slug) and may run again. A customer-facing subsidy whose
 * reference belongs to another customer is refused rather than returned.
 */
export async function getOrCreateSubsidyByReference(
  ctx: AppContext,
  actor: Principal,
  input: CreateSubsidyInput & { referenceId: string },
): Promise<{ subsidy: SubsidyRow; created: boolean }> {
  requireOperator(actor);
  const referenceType = input.referenceType ?? 'salesforce_opportunity_line_item';
  const found = await ctx.db.kysely
    .selectFrom('subsidies')
    .selectAll()
    .where('enterprise_customer_uuid', '=', input.enterpriseCustomerUuid)
    .where('reference_id', '=', input.referenceId)
    .where('reference_type', '=', referenceType)
    .where('is_soft_deleted', '=', false)
    .orderBy('created')
    .executeTakeFirst();
  if (found) return { subsidy: found, created: false };
  const result = await getOrCreateSubsidy(ctx, actor, input);
  if (result.subsidy.enterprise_customer_uuid !== input.enterpriseCustomerUuid) {
    throw new Conflict(
      `The subsidy reference ${input.referenceId} already belongs to another enterprise customer's subsidy ${result.subsidy.uuid}.`,
      'subsidy_reference_taken',
    );
  }
  return result;
}
