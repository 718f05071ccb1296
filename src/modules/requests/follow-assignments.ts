import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import type { AssignmentTransition } from '../assignments/index.js';
import { expiredEmail } from './emails.js';
import { emailLearners } from './notify.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestRow, RequestState } from './schema.js';
import { STATUS_LABELS } from './states.js';

/** How a request follows its assignment: from which state, to which, and whether the learner is told. */
const FOLLOW: Record<
  Exclude<AssignmentTransition['to'], 'errored'>,
  { from: RequestState; to: RequestState; email?: typeof expiredEmail }
> = {
  accepted: { from: 'approved', to: 'accepted' },
  cancelled: { from: 'approved', to: 'cancelled' },
  expired: { from: 'approved', to: 'expired', email: expiredEmail },
  reversed: { from: 'accepted', to: 'reversed' },
};

/**
 * Keeps requests in step with their assignments, inside the transaction that changes the
 * assignment: redeemed → accepted, expired (with the request's expiry email), cancelled elsewhere
 * (the assignments admin endpoint), refunded → reversed ("Refunded"); a failed redemption leaves
 * the request approved with a `failed_redemption` action. Requests already moved (a request cancel
 * moves its request first) are left alone.
 */
export async function followAssignments(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  transition: AssignmentTransition,
): Promise<{ notified: string[] }> {
  const none = { notified: [] };
  const rows = await requests.lockByAssignments(
    trx,
    transition.assignments.map((a) => a.uuid),
  );
  if (rows.length === 0) return none;
  if (transition.to === 'errored') {
    await recordChange(
      deps,
      trx,
      rows.filter((r) => r.state === 'approved'),
      {
        action: {
          recentAction: 'accepted',
          status: STATUS_LABELS.approved,
          errorReason: 'failed_redemption',
          traceback: (transition.reason ?? 'redemption failed').slice(0, 4000),
        },
      },
    );
    return none;
  }
  const rule = FOLLOW[transition.to];
  const moving = rows.filter((r) => r.state === rule.from);
  const moved: RequestRow[] = await recordChange(deps, trx, moving, {
    action: { recentAction: rule.to },
    fields: () => ({ state: rule.to }),
  });
  if (!rule.email) return none;
  await emailLearners(deps, trx, rule.email, moved);
  // The learner hears about the expiry from the request's email only.
  return { notified: moved.map((r) => r.assignment_uuid).filter((u): u is string => u !== null) };
}
