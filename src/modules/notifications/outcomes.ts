import type { Executor } from '../../database.js';

/** What became of a message: SMTP accepted it, or it failed for the last time. */
export interface EmailOutcome {
  outboxUuid: string;
  /** The `ref` the message was queued with. */
  ref: string;
  status: 'sent' | 'failed';
  error: string | null;
  at: Date;
}

export type EmailOutcomeListener = (trx: Executor, outcome: EmailOutcome) => Promise<void>;

// Code wiring, not state: each module registers its listener once, when its index is loaded.
const listeners = new Map<string, EmailOutcomeListener>();

/**
 * Asks to hear the outcome of every message whose `ref` starts with `prefix` (e.g.
 * "assignment-action:"). The listener runs in the transaction that records the outcome, so the
 * outbox and the caller's record never disagree.
 */
export function onEmailOutcome(prefix: string, listener: EmailOutcomeListener): void {
  listeners.set(prefix, listener);
}

export async function announceOutcome(trx: Executor, outcome: EmailOutcome): Promise<void> {
  for (const [prefix, listener] of listeners) {
    if (outcome.ref.startsWith(prefix)) await listener(trx, outcome);
  }
}
