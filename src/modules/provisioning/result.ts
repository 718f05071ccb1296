import type { StepOutputs } from '../workflows/index.js';
import { type ProvisioningView, provisioningView } from './provisioning.schemas.js';
import { getOrCreateAdminsStep } from './steps/get-or-create-admins.step.js';
import { getOrCreateCatalogStep } from './steps/get-or-create-catalog.step.js';
import { getOrCreateCustomerStep } from './steps/get-or-create-customer.step.js';
import { getOrCreatePoliciesStep } from './steps/get-or-create-policies.step.js';
import { getOrCreateSubsidyStep } from './steps/get-or-create-subsidy.step.js';

/** The provisioning answer, assembled from the steps' outputs (stored, so a repeat reads the same). */
export function provisioningResult(workflowUuid: string, outputs: StepOutputs): ProvisioningView {
  const admins = outputs.get(getOrCreateAdminsStep);
  // Parsed for the schema's key order: stored JSON comes back with its keys sorted by the database.
  return provisioningView.parse({
    enterprise_customer: outputs.get(getOrCreateCustomerStep),
    customer_admins: { created_admins: admins.created_admins, existing_admins: admins.existing_admins },
    enterprise_catalog: outputs.get(getOrCreateCatalogStep),
    subsidy: outputs.get(getOrCreateSubsidyStep),
    policies: outputs.get(getOrCreatePoliciesStep).policies,
    workflow_uuid: workflowUuid,
  });
}
