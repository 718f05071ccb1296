import { z } from 'zod';
import { createPolicyBody, getOrCreatePolicy } from '../../access/index.js';
import { defineStep } from '../../workflows/index.js';
import { policyRecord } from '../provisioning.schemas.js';
import { getOrCreateCatalogStep } from './get-or-create-catalog.step.js';
import { getOrCreateCustomerStep } from './get-or-create-customer.step.js';
import { getOrCreateSubsidyStep } from './get-or-create-subsidy.step.js';

const limit = z.number().int().nullable().optional();

export const policyInput = z.object({
  policy_type: createPolicyBody.shape.policy_type,
  access_method: createPolicyBody.shape.access_method,
  display_name: z.string(),
  description: z.string().nullable().optional(),
  active: z.boolean().optional(),
  spend_limit: limit,
  per_learner_enrollment_limit: limit,
  per_learner_spend_limit: limit,
  late_redemption_allowed_until: z.string().nullable().optional(),
});
export const policiesInput = z.object({ policies: z.array(policyInput) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Each requested policy over the subsidy and catalog, found again by its display name. */
export const getOrCreatePoliciesStep = defineStep({
  id: 'get-or-create-policies',
  input: policiesInput,
  output: z.object({ policies: z.array(policyRecord) }),
  async run(ctx, input, previous) {
    const customer = previous.get(getOrCreateCustomerStep);
    const catalog = previous.get(getOrCreateCatalogStep);
    const subsidy = previous.get(getOrCreateSubsidyStep);
    const policies = [];
    for (const p of input.policies) {
      const { policy } = await getOrCreatePolicy(ctx, ctx.actor, {
        policyType: p.policy_type,
        enterpriseCustomerUuid: customer.uuid,
        catalogUuid: catalog.uuid,
        subsidyUuid: subsidy.uuid,
        accessMethod: p.access_method,
        displayName: p.display_name,
        description: p.description,
        active: p.active,
        spendLimit: p.spend_limit,
        perLearnerEnrollmentLimit: p.per_learner_enrollment_limit,
        perLearnerSpendLimit: p.per_learner_spend_limit,
        lateRedemptionAllowedUntil: p.late_redemption_allowed_until
          ? new Date(p.late_redemption_allowed_until)
          : null,
      });
      policies.push({
        uuid: policy.uuid,
        policy_type: policy.policy_type,
        display_name: policy.display_name,
        description: policy.description,
        active: policy.active,
        enterprise_customer_uuid: policy.enterprise_customer_uuid,
        catalog_uuid: policy.catalog_uuid,
        subsidy_uuid: policy.subsidy_uuid,
        access_method: policy.access_method,
        spend_limit: policy.spend_limit,
        per_learner_enrollment_limit: policy.per_learner_enrollment_limit,
        per_learner_spend_limit: policy.per_learner_spend_limit,
        late_redemption_allowed_until: iso(policy.late_redemption_allowed_until),
        assignment_configuration_uuid: policy.assignment_configuration_uuid,
        created: policy.created.toISOString(),
      });
    }
    return { policies };
  },
});
