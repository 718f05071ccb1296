import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import * as actions from './actions.repository.js';
import * as assignments from './assignments.repository.js';
import { contentOfAssignments, viewFacts } from './facts.js';
import type { AssignmentRow, ErrorReason } from './schema.js';
import { announceTransition } from './transitions.js';
import { type LearnerAssignmentView, learnerAssignmentView } from './views.js';

/*
 * What the access module calls while redeeming through an assigned policy and listing credits.
 */

/** Positive cents still allocated (state allocated) per configuration. */
export async function allocatedCentsOfConfigurations(
  db: Executor,
  configUuids: string[],
): Promise<Map<string, number>> {
  return assignments.allocatedSums(db, configUuids);
}

/**
 * Each learner's assignment for each (configuration, content key): one for the key itself first,
 * then one under its parent course (a run of it, or the course); among equals an allocated one,
 * the one that can be redeemed. One query whatever the number of learners, configurations and keys.
 * Result: lms user id → configuration uuid → content key → assignment (absent when there is none).
 */
export async function assignmentsForContents(
  db: Executor,
  q: {
    configurationUuids: string[];
    /** Each also matches an assignment made to their email before they first signed in. */
    learners: assignments.LearnerMatch[];
    contents: Array<{ contentKey: string; parentContentKey: string | null }>;
  },
): Promise<Map<number, Map<string, Map<string, AssignmentRow>>>> {
  const keys = new Set<string>();
  for (const c of q.contents) {
    keys.add(c.contentKey);
    if (c.parentContentKey) keys.add(c.parentContentKey);
  }
  const rows = await assignments.forContent(db, {
    configurationUuids: q.configurationUuids,
    learners: q.learners,
    keys: [...keys],
  });
  return new Map(
    q.learners.map((learner) => [
      learner.lmsUserId,
      bestByConfiguration(
        rows.filter((r) => assignments.isLearners(r, learner)),
        q.configurationUuids,
        q.contents,
      ),
    ]),
  );
}

/** One learner's rows → configuration uuid → content key → the assignment that counts (see above). */
function bestByConfiguration(
  rows: AssignmentRow[],
  configurationUuids: string[],
  contents: Array<{ contentKey: string; parentContentKey: string | null }>,
): Map<string, Map<string, AssignmentRow>> {
  const out = new Map<string, Map<string, AssignmentRow>>();
  for (const configUuid of configurationUuids) {
    const mine = rows.filter((r) => r.assignment_configuration_uuid === configUuid);
    const byKey = new Map<string, AssignmentRow>();
    for (const c of contents) {
      const parent = c.parentContentKey !== c.contentKey ? c.parentContentKey : null;
      const wanted = parent ? [c.contentKey, parent] : [c.contentKey];
      const relevant = mine.filter(
        (r) => wanted.includes(r.content_key) || wanted.includes(r.parent_content_key ?? ''),
      );
      const rank = (r: AssignmentRow) =>
        r.content_key === c.contentKey ? 0 : r.content_key === parent ? 1 : 2;
      const best = relevant.sort(
        (a, b) => rank(a) - rank(b) || Number(b.state === 'allocated') - Number(a.state === 'allocated'),
      )[0];
      if (best) byKey.set(c.contentKey, best);
    }
    out.set(configUuid, byKey);
  }
  return out;
}

/** The learner's assignment for one content key in one configuration (see assignmentsForContents). */
export async function assignmentForContent(
  db: Executor,
  q: {
    configurationUuid: string;
    lmsUserId: number;
    learnerEmail?: string | null;
    contentKey: string;
    parentContentKey: string | null;
  },
): Promise<AssignmentRow | undefined> {
  const found = await assignmentsForContents(db, {
    configurationUuids: [q.configurationUuid],
    learners: [{ lmsUserId: q.lmsUserId, learnerEmail: q.learnerEmail }],
    contents: [{ contentKey: q.contentKey, parentContentKey: q.parentContentKey }],
  });
  return found.get(q.lmsUserId)?.get(q.configurationUuid)?.get(q.contentKey);
}

/** A redemption succeeded: accepted, with its transaction, the run redeemed and a `redeemed` action. */
export async function acceptAssignment(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  input: { assignmentUuid: string; transactionUuid: string; contentKey: string; lmsUserId?: number },
): Promise<AssignmentRow> {
  const now = deps.clock.now();
  const [row] = await assignments.updateMany(trx, [input.assignmentUuid], {
    // An assignment made to an email before its learner signed in is theirs from now on.
    ...(input.lmsUserId !== undefined ? { lms_user_id: input.lmsUserId } : {}),
    state: 'accepted',
    accepted_at: now,
    errored_at: null,
    cancelled_at: null,
    expired_at: null,
    transaction_uuid: input.transactionUuid,
    preferred_course_run_key: input.contentKey,
    modified: now,
  });
  await actions.insertMany(trx, [
    {
      uuid: deps.ids.uuid(),
      assignment_uuid: input.assignmentUuid,
      action_type: 'redeemed',
      completed_at: now,
      error_reason: null,
      traceback: null,
      created: now,
      modified: now,
    },
  ]);
  if (!row) throw new Error(`no assignment ${input.assignmentUuid}`);
  await announceTransition(deps, trx, { to: 'accepted', assignments: [row] });
  return row;
}

/**
 * The LMS refused to enroll for a redemption already recorded on its assignment (the fulfillment
 * happens after the redemption's transaction): the assignment it accepted becomes errored.
 */
export async function markRedemptionRefused(
  deps: { clock: Clock; ids: Ids },
  db: Executor,
  input: { transactionUuid: string; reason: string },
): Promise<void> {
  const assignment = await assignments.getByTransaction(db, input.transactionUuid);
  if (assignment?.state !== 'accepted') return;
  await markAssignmentErrored(deps, db, { assignmentUuid: assignment.uuid, reason: input.reason });
}

/** A redemption failed: errored, with a failed `redeemed` action (enrollment_error unless told). */
export async function markAssignmentErrored(
  deps: { clock: Clock; ids: Ids },
  db: Executor,
  input: { assignmentUuid: string; reason: string; errorReason?: ErrorReason },
): Promise<void> {
  const now = deps.clock.now();
  const changed = await assignments.updateMany(db, [input.assignmentUuid], {
    state: 'errored',
    errored_at: now,
    modified: now,
  });
  await actions.insertMany(db, [
    {
      uuid: deps.ids.uuid(),
      assignment_uuid: input.assignmentUuid,
      action_type: 'redeemed',
      completed_at: null,
      error_reason: input.errorReason ?? 'enrollment_error',
      traceback: input.reason.slice(0, 4000),
      created: now,
      modified: now,
    },
  ]);
  await announceTransition(deps, db, { to: 'errored', assignments: changed, reason: input.reason });
}

/**
 * The learner's assignments not yet acknowledged in these configurations, as credits_available
 * shows them, each with `earliest_possible_expiration` (the subsidy expiration is passed in per
 * configuration). `ctx` is needed for the catalog's enroll-by dates.
 */
export async function learnerAssignmentsForCredits(
  ctx: AppContext,
  db: Executor,
  input: {
    configurationUuids: string[];
    lmsUserId: number;
    learnerEmail?: string | null;
    subsidyExpirationByConfiguration: Map<string, Date | null>;
  },
): Promise<LearnerAssignmentView[]> {
  const rows = await assignments.unacknowledgedOfLearner(
    db,
    input.configurationUuids,
    input.lmsUserId,
    input.learnerEmail,
  );
  // One catalog lookup for every configuration's assignments.
  const content = await contentOfAssignments(ctx, db, rows);
  const out: LearnerAssignmentView[] = [];
  for (const configUuid of input.configurationUuids) {
    const mine = rows.filter((r) => r.assignment_configuration_uuid === configUuid);
    if (mine.length === 0) continue;
    const facts = await viewFacts(
      ctx,
      db,
      mine,
      input.subsidyExpirationByConfiguration.get(configUuid) ?? null,
      content,
    );
    out.push(...mine.map((r) => learnerAssignmentView(r, facts)));
  }
  return out;
}

/** Assignments by uuid, row-locked for the caller's transaction (a request cancelling its assignment). */
export async function assignmentsByUuids(db: Executor, uuids: string[]): Promise<AssignmentRow[]> {
  return assignments.getMany(db, uuids);
}
