import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';
import { createPolicyBody } from '../access/index.js';
import { workflowStateEnum } from '../workflows/index.js';

/*
 * The provisioning request (HTTP body and CLI file) and the records it answers with. The records
 * are also the steps' stored outputs, so they are plain JSON: strings for dates, no transforms.
 */

const isoDate = z.iso.datetime({ offset: true });
const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const email = z.email().max(254);

export const slug = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Lower-case letters, digits, - and _.');

/** A policy as the access module's create endpoint takes it, minus what provisioning supplies. */
export const provisioningPolicyBody = createPolicyBody
  .omit({
    enterprise_customer_uuid: true,
    catalog_uuid: true,
    subsidy_uuid: true,
    retired: true,
    retired_at: true,
    group_associations: true,
    subsidy_active_datetime: true,
    subsidy_expiration_datetime: true,
    is_subsidy_active: true,
  })
  // Required: a re-run finds each policy again by its name.
  .extend({ display_name: z.string().trim().min(1).max(512) })
  .strict();

export const provisioningBody = z
  .object({
    enterprise_customer: z
      .object({
        name: z.string().trim().min(1).max(255),
        slug,
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/, 'An ISO 3166-1 alpha-2 country code, e.g. US.')
          .transform((c) => c.toUpperCase()),
      })
      .strict(),
    pending_admins: z
      .array(z.object({ user_email: email.transform((e) => e.toLowerCase()) }).strict())
      .max(100),
    enterprise_catalog: z
      .object({
        title: z.string().trim().min(1).max(255),
        content_filter: z.record(z.string(), z.unknown()),
      })
      .strict()
      .nullable()
      .optional(),
    subsidy: z
      .object({
        title: z.string().trim().min(1).max(255),
        starting_balance_cents: cents,
        active_datetime: isoDate,
        expiration_datetime: isoDate,
        internal_only: z.boolean().default(false),
      })
      .strict(),
    policies: z.array(provisioningPolicyBody).max(20),
  })
  .strict();
export type ProvisioningBody = z.infer<typeof provisioningBody>;

export const customerRecord = z.object({
  uuid: z.uuid(),
  name: z.string(),
  slug: z.string(),
  country: z.string().nullable(),
});
export type CustomerRecord = z.infer<typeof customerRecord>;

const adminEmail = z.object({ user_email: z.string() });
export const customerAdminsRecord = z.object({
  enterprise_customer_uuid: z.uuid(),
  created_admins: z.array(adminEmail),
  existing_admins: z.array(adminEmail),
});

export const catalogRecord = z.object({
  uuid: z.uuid(),
  enterprise_customer_uuid: z.uuid(),
  title: z.string(),
  content_filter: z.record(z.string(), z.unknown()),
});

export const subsidyRecord = z.object({
  uuid: z.uuid(),
  title: z.string().nullable(),
  enterprise_customer_uuid: z.uuid(),
  unit: z.string(),
  reference_id: z.string().nullable(),
  reference_type: z.string(),
  starting_balance_cents: z.number().int(),
  internal_only: z.boolean(),
  revenue_category: z.string(),
  active_datetime: z.string().nullable(),
  expiration_datetime: z.string().nullable(),
  created: z.string(),
  initial_deposit: z
    .object({
      transaction_uuid: z.uuid(),
      ledger_uuid: z.uuid(),
      quantity: z.number().int(),
      sales_contract_reference_id: z.string(),
      sales_contract_reference_provider: z.string(),
      created: z.string(),
    })
    .nullable(),
});

export const policyRecord = z.object({
  uuid: z.uuid(),
  policy_type: createPolicyBody.shape.policy_type,
  display_name: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
  enterprise_customer_uuid: z.uuid(),
  catalog_uuid: z.uuid(),
  subsidy_uuid: z.uuid(),
  access_method: createPolicyBody.shape.access_method,
  spend_limit: z.number().int().nullable(),
  per_learner_enrollment_limit: z.number().int().nullable(),
  per_learner_spend_limit: z.number().int().nullable(),
  late_redemption_allowed_until: z.string().nullable(),
  assignment_configuration_uuid: z.uuid().nullable(),
  created: z.string(),
});

export const provisioningView = z.object({
  enterprise_customer: customerRecord,
  customer_admins: customerAdminsRecord.pick({ created_admins: true, existing_admins: true }),
  enterprise_catalog: catalogRecord,
  subsidy: subsidyRecord,
  policies: z.array(policyRecord),
  workflow_uuid: z.uuid(),
});
export type ProvisioningView = z.infer<typeof provisioningView>;

export const workflowListQuery = paginationQuery.extend({ state: workflowStateEnum.optional() });
export const workflowParams = z.object({ uuid: z.uuid() });
