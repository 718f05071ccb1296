import { z } from 'zod';
import { defineWorkflow, stepOf } from '../workflows/index.js';
import { adminsInput, getOrCreateAdminsStep } from './steps/get-or-create-admins.step.js';
import { catalogInput, getOrCreateCatalogStep } from './steps/get-or-create-catalog.step.js';
import { customerInput, getOrCreateCustomerStep } from './steps/get-or-create-customer.step.js';
import { getOrCreatePoliciesStep, policiesInput } from './steps/get-or-create-policies.step.js';
import { getOrCreateSubsidyStep, subsidyInput } from './steps/get-or-create-subsidy.step.js';
import { queueWelcomeEmailsStep } from './steps/queue-welcome-emails.step.js';

/** The stored input of a provisioning workflow: the request, normalized, with its defaults filled in. */
export const provisionCustomerInput = z.object({
  enterprise_customer: customerInput,
  pending_admins: adminsInput.shape.user_emails,
  enterprise_catalog: catalogInput,
  subsidy: subsidyInput,
  policies: policiesInput.shape.policies,
});
export type ProvisionCustomerInput = z.infer<typeof provisionCustomerInput>;

/**
 * One-call provisioning of a customer (docs/decisions/0008-provisioning-as-a-workflow.md):
 * customer → admins → catalog → subsidy with its deposit → policies → welcome emails. Every step is
 * a get-or-create (docs/decisions/0009-workflow-steps-get-or-create.md), so a failed run resumes.
 */
export const provisionCustomerWorkflow = defineWorkflow({
  type: 'provision-customer',
  input: provisionCustomerInput,
  steps: [
    stepOf(getOrCreateCustomerStep, (i: ProvisionCustomerInput) => i.enterprise_customer),
    stepOf(getOrCreateAdminsStep, (i: ProvisionCustomerInput) => ({ user_emails: i.pending_admins })),
    stepOf(getOrCreateCatalogStep, (i: ProvisionCustomerInput) => i.enterprise_catalog),
    stepOf(getOrCreateSubsidyStep, (i: ProvisionCustomerInput) => i.subsidy),
    stepOf(getOrCreatePoliciesStep, (i: ProvisionCustomerInput) => ({ policies: i.policies })),
    stepOf(queueWelcomeEmailsStep, () => ({})),
  ],
});

/** Provisioning is idempotent by slug: starts for one slug converge on one workflow. */
export const provisioningKey = (slug: string) => `provision:${slug}`;
