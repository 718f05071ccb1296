import type { Principal } from '../../shared/principal.js';

/** Test hook: makes a step fail before it runs. Passed by tests through buildApp; never in production. */
export interface WorkflowFaults {
  failBefore?(stepId: string): boolean;
}

export interface StepProgress {
  workflowUuid: string;
  stepId: string;
  /** 1-based, of `total`. */
  position: number;
  total: number;
  status: 'running' | 'succeeded' | 'skipped' | 'failed';
  error?: string;
}

export interface RunOptions {
  /** Whom the steps act as (services check it like any caller). */
  actor: Principal;
  faults?: WorkflowFaults;
  onProgress?(event: StepProgress): void;
}

export interface StartOptions extends RunOptions {
  /** Starts with the same key converge on one workflow (e.g. `provision:<slug>`). */
  key?: string;
  /** Who asked, for the record. */
  createdBy?: number | null;
}
