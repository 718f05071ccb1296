import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { BusinessRule, DomainError } from '../../shared/errors.js';
import { acceptAssignment, markAssignmentErrored } from '../assignments/index.js';
import type { Redemption } from '../subsidy/index.js';
import * as attempts from './attempts.repository.js';
import type { LoadedRedemption } from './redemption-load.js';
import type { AttemptOutcome, AttemptRow, PolicyRow } from './schema.js';

/** The writes that follow a redemption: the assignment accepted, the attempt, the forced-redemption record. */
export async function recordRedemption(
  ctx: AppContext,
  trx: Trx,
  loaded: LoadedRedemption,
  policy: PolicyRow,
  redemption: Redemption,
  assignmentUuid: string | null,
): Promise<void> {
  const { request, learner, actor } = loaded;
  if (assignmentUuid && redemption.created) {
    await acceptAssignment(ctx, trx, {
      assignmentUuid,
      lmsUserId: learner.lmsUserId,
      transactionUuid: redemption.transaction.uuid,
      contentKey: redemption.transaction.content_key ?? request.contentKey,
    });
  }
  await attempts.insertAttempt(
    trx,
    attemptRow(ctx, loaded, {
      outcome: redemption.created ? 'redeemed' : 'existing',
      transactionUuid: redemption.transaction.uuid,
    }),
  );
  if (request.forced) {
    const now = ctx.clock.now();
    await attempts.insertForced(trx, {
      uuid: ctx.ids.uuid(),
      policy_uuid: policy.uuid,
      lms_user_id: learner.lmsUserId,
      course_run_key: request.contentKey,
      content_price_cents: request.forced.contentPriceCents ?? null,
      reason: request.forced.reason,
      forced_by_lms_user_id: actor.lmsUserId,
      transaction_uuid: redemption.transaction.uuid,
      redeemed_at: redemption.transaction.modified,
      created: now,
      modified: now,
    });
  }
}

/** After the rollback: the refusal or failure on its own attempt row, and an assignment that failed marked so. */
export async function recordFailure(ctx: AppContext, loaded: LoadedRedemption, err: unknown): Promise<void> {
  if (loaded.failedAssignment) {
    await markAssignmentErrored(ctx, ctx.db.kysely, {
      assignmentUuid: loaded.failedAssignment,
      reason: err instanceof Error ? err.message : String(err),
    }).catch((markErr: unknown) => ctx.log.error({ err: markErr }, 'could not mark an assignment errored'));
  }
  await attempts
    .insertAttempt(ctx.db.kysely, failureAttempt(ctx, loaded, err))
    // The refusal is what the caller needs to see, even if its audit row cannot be written.
    .catch((auditErr: unknown) => ctx.log.error({ err: auditErr }, 'could not record a redemption attempt'));
}

/** The attempt row of a call that was refused or failed: its error code and message. */
export function failureAttempt(ctx: AppContext, loaded: LoadedRedemption, err: unknown): AttemptRow {
  return attemptRow(ctx, loaded, {
    outcome: err instanceof BusinessRule ? 'refused' : 'error',
    reason: err instanceof DomainError ? err.errorCode : 'internal_error',
    detail: err instanceof Error ? err.message.slice(0, 1000) : String(err),
  });
}

/** The attempt row of one call: what was asked, by whom, and how it ended. */
export function attemptRow(
  ctx: AppContext,
  loaded: LoadedRedemption,
  ended: { outcome: AttemptOutcome; transactionUuid?: string; reason?: string; detail?: string },
): AttemptRow {
  const { request, policy, learner, actor } = loaded;
  return {
    uuid: ctx.ids.uuid(),
    policy_uuid: policy.uuid,
    enterprise_customer_uuid: policy.enterprise_customer_uuid,
    lms_user_id: learner.lmsUserId,
    content_key: request.contentKey,
    outcome: ended.outcome,
    reason: ended.reason ?? null,
    // A forced redemption records the operator's reason on every row it leaves.
    detail: ended.detail ?? (request.forced ? request.forced.reason : null),
    transaction_uuid: ended.transactionUuid ?? null,
    forced: request.forced !== undefined,
    requested_by_lms_user_id: actor.lmsUserId,
    created: ctx.clock.now(),
  };
}
