import type { ActionError, RequestActionType, RequestState } from './schema.js';

/** The states a learner may not ask again from (the partial unique index's states). */
export const ACTIVE_STATES: readonly RequestState[] = ['requested', 'approved', 'error', 'accepted'];
/** Ended requests that a new request for the same course and policy reuses. */
export const REUSABLE_STATES: readonly RequestState[] = ['cancelled', 'expired', 'reversed'];
/** What approve and approve-all act on. */
export const APPROVABLE_STATES: readonly RequestState[] = ['requested', 'error'];

/** The reference's user-message label of an action, by its `recent_action`. */
export const STATUS_LABELS: Record<RequestActionType, string> = {
  requested: 'Requested',
  pending: 'Pending',
  approved: 'Waiting For Learner',
  reminded: 'Waiting For Learner',
  declined: 'Declined',
  error: 'Failed',
  accepted: 'Redeemed By Learner',
  cancelled: 'Cancelled',
  expired: 'Expired',
  reversed: 'Refunded',
};

/**
 * What the admin table shows (reference learner_request_state): a failed latest action → failed;
 * a latest approval or reminder → waiting; else the state itself for requested, declined,
 * cancelled and error, waiting for approved, and nothing for the others.
 */
export function learnerRequestState(
  state: RequestState,
  latest: { recent_action: RequestActionType; error_reason: ActionError | null } | null,
): string | null {
  if (latest?.error_reason) return 'failed';
  if (latest && (latest.recent_action === 'approved' || latest.recent_action === 'reminded'))
    return 'waiting';
  if (state === 'requested' || state === 'declined' || state === 'cancelled' || state === 'error')
    return state;
  if (state === 'approved') return 'waiting';
  return null;
}
