import { Conflict, DomainError, NotFound } from '../../shared/errors.js';

/**
 * A step failed and the workflow stopped there, left failed and resumable. A 422 by default;
 * a module that runs workflows usually answers with its own wording (see provisioning).
 */
export class WorkflowFailed extends DomainError {
  constructor(
    readonly workflowUuid: string,
    readonly stepId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(422, 'workflow_step_failed', message, { workflow_uuid: workflowUuid, step_id: stepId });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The test hook's failure (`faults.failBefore`): thrown inside the step's transaction, so nothing of it stays. */
export class InjectedFault extends Error {
  constructor(stepId: string) {
    super(`injected failure before step ${stepId}`);
  }
}

export const workflowNotFound = (uuid: string) => new NotFound(`No workflow ${uuid}.`, 'workflow_not_found');

export const workflowKeyTaken = (key: string, uuid: string) =>
  new Conflict(
    `Workflow ${uuid} already holds the key "${key}" with a different input; resume it, or wait until it fails to start another.`,
    'workflow_key_conflict',
    { workflow_uuid: uuid },
  );

/** The message stored on the rows and shown to operators. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
