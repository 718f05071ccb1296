import type { Insertable } from 'kysely';
import type { Executor } from '../../database.js';
import type { EmailOutcome } from '../notifications/index.js';
import * as actions from './actions.repository.js';
import type { LearnerContentAssignmentActionsTable } from './schema.js';

/** The outbox `ref` of the email an action waits for. */
export const EMAIL_ACTION_REF = 'assignment-action:';

export const emailActionRef = (actionUuid: string): string => `${EMAIL_ACTION_REF}${actionUuid}`;

/**
 * An email action as queued: neither completed nor failed until the delivery worker hears from
 * SMTP (the reference records `notified` when its task ran; here it means the learner was mailed).
 */
export function pendingEmailAction(
  deps: { ids: { uuid(): string } },
  assignmentUuid: string,
  actionType: 'notified' | 'reminded' | 'cancelled' | 'expired',
  now: Date,
): Insertable<LearnerContentAssignmentActionsTable> & { uuid: string } {
  return {
    uuid: deps.ids.uuid(),
    assignment_uuid: assignmentUuid,
    action_type: actionType,
    completed_at: null,
    error_reason: null,
    traceback: null,
    created: now,
    modified: now,
  };
}

/**
 * Writes a delivery outcome back to the action that queued the email. A failure leaves the
 * assignment's state alone, unlike the reference, where a failed cancellation or nudge email
 * turns the assignment `errored`: the admin's cancellation stands, and an accepted enrollment is
 * not undone by a mail server; the errored action (email_error) is what the admin sees.
 */
export async function recordAssignmentEmailOutcome(trx: Executor, outcome: EmailOutcome): Promise<void> {
  await actions.recordEmailOutcome(trx, outcome.ref.slice(EMAIL_ACTION_REF.length), {
    sent: outcome.status === 'sent',
    error: outcome.error,
    at: outcome.at,
  });
}
