import type { AppContext } from '../../context.js';
import { BusinessRule } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import {
  resumeWorkflow,
  type StepProgress,
  startWorkflow,
  WorkflowFailed,
  type WorkflowOutcome,
} from '../workflows/index.js';
import { provisionCustomerWorkflow, provisioningKey } from './provision-customer.workflow.js';
import { requireProvisioner, stepActor } from './provisioning.access.js';
import type { ProvisioningBody, ProvisioningView } from './provisioning.schemas.js';
import { provisioningInput } from './provisioning-request.js';
import { provisioningResult } from './result.js';

export interface ProvisionOptions {
  /** Step by step, for the CLI's progress lines. */
  onProgress?(event: StepProgress): void;
}

/** A failed step as the reference words it; the workflow stays failed and resumable. */
async function answer(run: Promise<WorkflowOutcome>): Promise<ProvisioningView> {
  try {
    const { workflow, outputs } = await run;
    return provisioningResult(workflow.uuid, outputs);
  } catch (err) {
    if (!(err instanceof WorkflowFailed)) throw err;
    throw new BusinessRule('provisioning_error', `Error in provisioning workflow: ${err.message}`, {
      workflow_uuid: err.workflowUuid,
    });
  }
}

/**
 * Provisions a customer in one call: checks the request (400 before anything is written), then
 * runs the provisioning workflow keyed by the slug. The same request again, or many at once,
 * converge on that workflow and answer with the same records; after a failure it resumes.
 */
export async function provisionCustomer(
  ctx: AppContext,
  actor: Principal,
  body: ProvisioningBody,
  options: ProvisionOptions = {},
): Promise<ProvisioningView> {
  requireProvisioner(actor);
  const input = provisioningInput(body);
  return answer(
    startWorkflow(ctx, provisionCustomerWorkflow, input, {
      key: provisioningKey(input.enterprise_customer.slug),
      createdBy: actor.lmsUserId,
      actor: stepActor(actor),
      faults: ctx.workflowFaults,
      onProgress: options.onProgress,
    }),
  );
}

/** Runs a provisioning workflow again from where it stopped (a succeeded one just answers). */
export async function resumeProvisioning(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  options: ProvisionOptions = {},
): Promise<ProvisioningView> {
  requireProvisioner(actor);
  return answer(
    resumeWorkflow(ctx, provisionCustomerWorkflow, uuid, {
      actor: stepActor(actor),
      faults: ctx.workflowFaults,
      onProgress: options.onProgress,
    }),
  );
}
