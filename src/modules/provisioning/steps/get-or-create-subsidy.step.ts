import { z } from 'zod';
import { getInitialDeposit, getOrCreateSubsidyByReference } from '../../subsidy/index.js';
import { defineStep } from '../../workflows/index.js';
import { subsidyRecord } from '../provisioning.schemas.js';
import { getOrCreateCustomerStep } from './get-or-create-customer.step.js';

export const subsidyInput = z.object({
  title: z.string(),
  starting_balance_cents: z.number().int(),
  active_datetime: z.string(),
  expiration_datetime: z.string(),
  internal_only: z.boolean(),
  /** Stable across runs (derived from the slug), so that a re-run finds the subsidy it made. */
  reference_id: z.string(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The customer's learner-credit subsidy, its ledger and the initial deposit of its starting balance. */
export const getOrCreateSubsidyStep = defineStep({
  id: 'get-or-create-subsidy',
  input: subsidyInput,
  output: subsidyRecord,
  async run(ctx, input, previous) {
    const customer = previous.get(getOrCreateCustomerStep);
    const { subsidy } = await getOrCreateSubsidyByReference(ctx, ctx.actor, {
      referenceId: input.reference_id,
      title: input.title,
      enterpriseCustomerUuid: customer.uuid,
      activeDatetime: new Date(input.active_datetime),
      expirationDatetime: new Date(input.expiration_datetime),
      unit: 'usd_cents',
      startingBalanceCents: input.starting_balance_cents,
      revenueCategory: 'bulk-enrollment-prepay',
      internalOnly: input.internal_only,
    });
    return {
      uuid: subsidy.uuid,
      title: subsidy.title,
      enterprise_customer_uuid: subsidy.enterprise_customer_uuid,
      unit: subsidy.unit,
      reference_id: subsidy.reference_id,
      reference_type: subsidy.reference_type,
      starting_balance_cents: subsidy.starting_balance_cents,
      internal_only: subsidy.internal_only,
      revenue_category: subsidy.revenue_category,
      active_datetime: iso(subsidy.active_datetime),
      expiration_datetime: iso(subsidy.expiration_datetime),
      created: subsidy.created.toISOString(),
      initial_deposit: await getInitialDeposit(ctx.trx, subsidy),
    };
  },
});
