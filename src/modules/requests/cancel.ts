import type { AppContext } from '../../context.js';
import { BusinessRule } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { lockPolicyForAllocation } from '../access/index.js';
import { assignmentsByUuids, cancelAssignmentsInTransaction } from '../assignments/index.js';
import { requestNotFound, requireRequestsAdmin } from './authorize.js';
import { cancelledEmail } from './emails.js';
import { emailLearners } from './notify.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestRow } from './schema.js';
import { STATUS_LABELS } from './states.js';

/** Assignment states a cancel can end (the assignments module's CANCELABLE_STATES). */
const CANCELABLE = ['allocated', 'errored'];
/** Request states a cancel is attempted from. */
const CANCEL_FROM = ['approved', 'accepted'];

/**
 * An admin cancels an approved request: under the policy row lock (the one redemption takes, so a
 * redemption and a cancel of the same assignment are serialized) the request turns cancelled with
 * a `cancelled` action, its assignment is cancelled (no assignment email: the learner gets the
 * request's), and the learner is emailed. When the learner has already redeemed, nothing is
 * cancelled: a `failed_cancellation` action is committed and the call answers 422.
 */
export async function cancelRequest(
  ctx: AppContext,
  actor: Principal,
  input: { requestUuid: string },
): Promise<RequestRow> {
  const found = await requests.getById(ctx.db.kysely, input.requestUuid);
  if (!found) throw requestNotFound(input.requestUuid);
  requireRequestsAdmin(actor, found.enterprise_customer_uuid);
  const outcome = await ctx.db.transaction(async (trx) => {
    await lockPolicyForAllocation(trx, found.policy_uuid);
    // The lock order (src/modules/ledger/lock-order.ts): the assignment before its request. A
    // request's assignment is set by approval, under the policy lock held here, so it cannot move.
    const [assignment] = found.assignment_uuid ? await assignmentsByUuids(trx, [found.assignment_uuid]) : [];
    const [row] = await requests.lockMany(trx, [found.uuid]);
    if (!row) throw requestNotFound(input.requestUuid);
    // An accepted request is tried too: its redeemed assignment refuses, with a failed_cancellation.
    if (
      !CANCEL_FROM.includes(row.state) ||
      !row.assignment_uuid ||
      row.assignment_uuid !== found.assignment_uuid
    ) {
      throw new BusinessRule(
        'request_not_cancelable',
        `Learner Credit Request with UUID ${row.uuid} cannot be cancelled. Current state: ${row.state}`,
      );
    }
    if (!assignment || !CANCELABLE.includes(assignment.state)) {
      await recordChange(ctx, trx, [row], {
        action: {
          recentAction: 'cancelled',
          status: STATUS_LABELS[row.state === 'accepted' ? 'accepted' : 'approved'],
          errorReason: 'failed_cancellation',
          traceback: `Assignment ${row.assignment_uuid} is ${assignment?.state ?? 'missing'}.`,
        },
      });
      return { failed: row, cancelled: null };
    }
    // The request first: the assignment's `cancelled` transition then finds it already ended.
    const [cancelled] = await recordChange(ctx, trx, [row], {
      action: { recentAction: 'cancelled' },
      fields: () => ({ state: 'cancelled' }),
    });
    const result = await cancelAssignmentsInTransaction(ctx, trx, [row.assignment_uuid]);
    if (result.nonCancelable.length > 0)
      throw new Error(`assignment ${row.assignment_uuid} changed under lock`);
    await emailLearners(ctx, trx, cancelledEmail, [cancelled as RequestRow]);
    return { failed: null, cancelled: cancelled as RequestRow };
  });
  if (outcome.failed || !outcome.cancelled) {
    throw new BusinessRule(
      'assignment_not_cancelable',
      `Failed to cancel associated assignment with uuid: ${found.assignment_uuid} for request: ${found.uuid}.`,
    );
  }
  return outcome.cancelled;
}
