import type { Executor } from '../../database.js';
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

/**
 * Returns the assignments whose learner it has told itself (browse & request emails its own
 * expiry notice), so that assignments does not email them a second time.
 */
export type AssignmentTransitionListener = (
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  transition: AssignmentTransition,
) => Promise<{ notified: string[] } | undefined>;

// Code wiring, not state: a module registers its listener once, when its index is loaded.
const listeners = new Set<AssignmentTransitionListener>();

/**
 * Asks to hear every state change of assignments, inside the transaction that makes it, so that
 * records following an assignment (a learner credit request) never disagree with it.
 */
export function onAssignmentTransition(listener: AssignmentTransitionListener): void {
  listeners.add(listener);
}

/** Tells every listener; returns the uuids of the assignments some listener has notified. */
export async function announceTransition(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  transition: AssignmentTransition,
): Promise<Set<string>> {
  const notified = new Set<string>();
  if (transition.assignments.length === 0) return notified;
  for (const listener of listeners) {
    const heard = await listener(deps, trx, transition);
    for (const uuid of heard?.notified ?? []) notified.add(uuid);
  }
  return notified;
}
