import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { assignmentNotFound, loadConfiguration, requireAssignmentLearner } from './access.js';
import * as actions from './actions.repository.js';
import * as assignments from './assignments.repository.js';
import { configurationFacts, contentOfAssignments, viewFacts } from './facts.js';
import { type LearnerAssignmentView, learnerAssignmentView } from './views.js';

/** The caller's own assignments in a configuration (by lms_user_id or, case-insensitively, email). */
export async function listOwnAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuid?: string },
): Promise<LearnerAssignmentView[]> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  await requireAssignmentLearner(db, actor, config.enterprise_customer_uuid);
  let rows = await assignments.ofLearner(db, {
    configurationUuid: config.uuid,
    lmsUserId: actor.lmsUserId,
    email: actor.email,
  });
  if (input.assignmentUuid) {
    rows = rows.filter((r) => r.uuid === input.assignmentUuid);
    if (rows.length === 0) throw assignmentNotFound(input.assignmentUuid);
  }
  const [cfacts, content] = await Promise.all([
    configurationFacts(db, config),
    contentOfAssignments(ctx, db, rows),
  ]);
  const facts = await viewFacts(ctx, db, rows, cfacts.subsidyExpiration, content);
  return rows.map((r) => learnerAssignmentView(r, facts));
}

export interface AcknowledgeResult {
  acknowledged_assignments: string[];
  already_acknowledged_assignments: string[];
  unacknowledged_assignments: string[];
}

/**
 * The learner dismisses cancelled or expired assignments: a `*_acknowledged` action each, and
 * they leave credits_available. Others are reported as unacknowledged.
 */
export async function acknowledgeAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuids: string[] },
): Promise<AcknowledgeResult> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  await requireAssignmentLearner(db, actor, config.enterprise_customer_uuid);
  return ctx.db.transaction(async (trx) => {
    const mine = (
      await assignments.ofLearner(trx, {
        configurationUuid: config.uuid,
        lmsUserId: actor.lmsUserId,
        email: actor.email,
      })
    ).filter((r) => input.assignmentUuids.includes(r.uuid));
    if (mine.length === 0) {
      throw new ValidationFailed(
        `No assignments found for assignment_uuids=[${input.assignmentUuids.join(', ')}] and lms_user_id=${actor.lmsUserId}.`,
        { assignment_uuids: ['No assignments found for these uuids and this learner.'] },
        'assignments_not_found',
      );
    }
    const ackable = mine.filter((r) => r.state === 'cancelled' || r.state === 'expired');
    const fresh = ackable.filter((r) => !r.learner_acknowledged);
    const now = ctx.clock.now();
    await assignments.updateMany(
      trx,
      fresh.map((r) => r.uuid),
      { learner_acknowledged: true, modified: now },
    );
    await actions.insertMany(
      trx,
      fresh.map((r) => ({
        uuid: ctx.ids.uuid(),
        assignment_uuid: r.uuid,
        action_type:
          r.state === 'cancelled' ? ('cancelled_acknowledged' as const) : ('expired_acknowledged' as const),
        completed_at: now,
        error_reason: null,
        traceback: null,
        created: now,
        modified: now,
      })),
    );
    return {
      acknowledged_assignments: fresh.map((r) => r.uuid),
      already_acknowledged_assignments: ackable.filter((r) => r.learner_acknowledged).map((r) => r.uuid),
      unacknowledged_assignments: mine.filter((r) => !ackable.includes(r)).map((r) => r.uuid),
    };
  });
}
