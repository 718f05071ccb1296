import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import {
  getWorkflow,
  listWorkflows,
  type WorkflowRow,
  type WorkflowState,
  type WorkflowWithSteps,
  workflowNotFound,
} from '../workflows/index.js';
import { provisionCustomerWorkflow } from './provision-customer.workflow.js';
import { requireProvisioner } from './provisioning.access.js';

const type = provisionCustomerWorkflow.type;

/** Provisioning runs, newest first, for operators to see which stopped and why. */
export async function listProvisioningWorkflows(
  ctx: AppContext,
  actor: Principal,
  input: { state?: WorkflowState; offset: number; limit: number },
): Promise<{ count: number; rows: WorkflowRow[] }> {
  requireProvisioner(actor);
  return listWorkflows(ctx.db.kysely, { ...input, type });
}

/** One provisioning run with every step's input, output and error. */
export async function getProvisioningWorkflow(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<WorkflowWithSteps> {
  requireProvisioner(actor);
  const found = await getWorkflow(ctx.db.kysely, uuid);
  if (!found || found.workflow.type !== type) throw workflowNotFound(uuid);
  return found;
}
