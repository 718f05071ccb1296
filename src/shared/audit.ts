import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from './clock.js';

/**
 * Who is changing things, and why, for the change history that database triggers write (see the
 * change_history migration). A request, a job or a CLI command opens a scope; every transaction
 * run inside it hands the scope to the database first (Db.transaction), so the history names the
 * caller without any service passing it around.
 */
export interface AuditScope {
  /** `lms_user_id:<id>`, `system job:<name>`, `cli:<command>`, or `anonymous`. */
  actor: string;
  /** Why, where the caller gave a reason (a retirement, a decline, a refund). */
  reason: string | null;
  clock: Clock;
}

const storage = new AsyncLocalStorage<AuditScope>();

export function runAudited<T>(
  scope: Omit<AuditScope, 'reason'> & { reason?: string | null },
  fn: () => T,
): T {
  return storage.run({ reason: null, ...scope }, fn);
}

/** Runs `fn` outside any audit scope (work done on behalf of many callers at once). */
export function outsideAudit<T>(fn: () => T): T {
  return storage.exit(fn);
}

export function currentAudit(): AuditScope | undefined {
  return storage.getStore();
}

/** Records the reason the caller gave for the changes that follow in this scope. */
export function auditReason(reason: string | null | undefined): void {
  const scope = storage.getStore();
  if (scope && reason?.trim()) scope.reason = reason.trim().slice(0, 1000);
}

export const actorLabel = (p: { lmsUserId: number } | null | undefined): string =>
  p ? `lms_user_id:${p.lmsUserId}` : 'anonymous';
