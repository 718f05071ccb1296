import type { Executor } from '../../db/db.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import type { AssignmentRow } from './schema.js';

/** An assignment changed state: what browse & request follows to keep a request in step. */
export interface AssignmentTransition {
  to: 'accepted' | 'errored' | 'cancelled' | 'expired' | 'reversed';
  assignments: AssignmentRow[];
  /** Why, where there is a reason (a failed redemption's error). */
  reason?: string;
}

export type AssignmentTransitionListener = (
  trx: Executor,
  deps: { clock: Clock; ids: Ids },
  transition: AssignmentTransition,
) => Promise<void>;

// Code wiring, not state: a module registers its listener once, when its index is loaded.
const listeners = new Set<AssignmentTransitionListener>();

/**
 * Asks to hear every state change of assignments, inside the transaction that makes it, so that
 * records following an assignment (a learner credit request) never disagree with it.
 */
export function onAssignmentTransition(listener: AssignmentTransitionListener): void {
  listeners.add(listener);
}

export async function announceTransition(
  trx: Executor,
  deps: { clock: Clock; ids: Ids },
  transition: AssignmentTransition,
): Promise<void> {
  if (transition.assignments.length === 0) return;
  for (const listener of listeners) await listener(trx, deps, transition);
}
