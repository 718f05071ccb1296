import { readFile } from 'node:fs/promises';
import type { AppContext } from '../context.js';
import {
  type ProvisioningBody,
  type ProvisioningView,
  type ProvisionOptions,
  provisionCustomer,
  provisioningBody,
  resumeProvisioning,
} from '../modules/provisioning/index.js';
import { DomainError, ValidationFailed } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import type { CliIo } from './io.js';

/** The request file cannot be read or is not a provisioning request: nothing was written (exit code 2). */
export class ProvisionFileError extends Error {}

const listErrors = (errors: Record<string, string[]>) =>
  Object.entries(errors).map(([field, messages]) => `  ${field}: ${messages.join(' ')}`);

/** Reads and checks a request (the body of POST /access/api/v1/provisioning) before any database is opened. */
export async function readProvisioningRequest(file: string): Promise<ProvisioningBody> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ProvisionFileError(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const parsed = provisioningBody.safeParse(json);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.') || '(request)';
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  throw new ProvisionFileError(
    [`${file} is not a valid provisioning request:`, ...listErrors(errors)].join('\n'),
  );
}

/** One line per step on stderr, so that stdout stays the result JSON. */
const stepProgress = (io: CliIo): ProvisionOptions => ({
  onProgress(e) {
    if (e.status === 'running') return;
    const what =
      e.status === 'failed' ? `failed: ${e.error}` : e.status === 'skipped' ? 'already done' : 'done';
    io.err(`[${e.position}/${e.total}] ${e.stepId}: ${what}`);
  },
});

/**
 * `campus provision --file F` (or `--resume UUID`): provisions as the API does, with step progress.
 * A refusal is an Error naming the workflow to resume; the caller maps it to the exit code.
 */
export async function provisionCommand(
  ctx: AppContext,
  actor: Principal,
  what: { request: ProvisioningBody } | { resume: string },
  io: CliIo,
): Promise<ProvisioningView> {
  const progress = stepProgress(io);
  try {
    return 'request' in what
      ? await provisionCustomer(ctx, actor, what.request, progress)
      : await resumeProvisioning(ctx, actor, what.resume, progress);
  } catch (err) {
    if (err instanceof ValidationFailed) {
      throw new ProvisionFileError([err.message, ...listErrors(err.errors)].join('\n'));
    }
    if (err instanceof DomainError && typeof err.extra.workflow_uuid === 'string') {
      throw new Error(
        `${err.message}\nThe workflow ${err.extra.workflow_uuid} is left failed: fix the cause, then run campus provision --resume ${err.extra.workflow_uuid}`,
      );
    }
    throw err;
  }
}
