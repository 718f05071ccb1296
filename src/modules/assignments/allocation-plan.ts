import type { Insertable } from 'kysely';
import type { CommerceFacts } from '../catalog/index.js';
import {
  type AssignmentRow,
  type LearnerContentAssignmentsTable,
  REALLOCATE_STATES,
  writable,
} from './schema.js';

const RETIRED_EMAIL = /^retired_user[0-9a-f]*@retired\.invalid$/;

/** What one allocation call writes, and what each written row means to the caller. */
export interface AllocationPlan {
  writes: Array<Insertable<LearnerContentAssignmentsTable>>;
  /** Newly set aside (created or re-allocated): they cost money now. */
  charged: Set<string>;
  /**
   * Told by email: the charged ones and allocated ones pointed at another run. Rows updated only
   * because their learner's lms_user_id became known are not: the reference emails them again
   * ("you have been assigned"), even accepted ones, which tells the learner nothing new.
   */
  notify: Set<string>;
  created: Set<string>;
  noChange: AssignmentRow[];
}

/**
 * Decides, for each email, whether the call creates an assignment, re-allocates an ended one,
 * refreshes a live one (linked to its learner, or pointed at the current run) or leaves it as it
 * is. Pure: the caller checks the cost of `charged` and writes `writes`.
 */
export function planAllocation(input: {
  emails: string[];
  contentKey: string;
  priceCents: number;
  configurationUuid: string;
  adminLmsUserId: number | null;
  facts: CommerceFacts;
  existing: AssignmentRow[];
  lmsIdByEmail: Map<string, number>;
  newUuid: () => string;
  batchId: string;
  now: Date;
}): AllocationPlan {
  const { facts, existing, now } = input;
  const isRun = facts.courseKey !== input.contentKey;
  const content = {
    parent_content_key: isRun ? facts.courseKey : null,
    is_assigned_course_run: isRun,
    preferred_course_run_key: facts.runKey,
    content_title: facts.courseTitle,
  };
  const fresh = {
    state: 'allocated' as const,
    content_quantity: -input.priceCents,
    allocation_batch_id: input.batchId,
    allocated_at: now,
    accepted_at: null,
    cancelled_at: null,
    expired_at: null,
    errored_at: null,
    learner_acknowledged: false,
    modified: now,
  };
  const plan: AllocationPlan = {
    writes: [],
    charged: new Set(),
    notify: new Set(),
    created: new Set(),
    noChange: [],
  };
  const used = new Set<string>();
  for (const email of input.emails) {
    const lower = email.toLowerCase();
    const lmsId = input.lmsIdByEmail.get(lower) ?? null;
    const match =
      existing.find((e) => e.learner_email.toLowerCase() === lower) ??
      existing.find((e) => lmsId !== null && e.lms_user_id === lmsId);
    if (!match) {
      const uuid = input.newUuid();
      plan.writes.push({
        uuid,
        assignment_configuration_uuid: input.configurationUuid,
        learner_email: email,
        lms_user_id: lmsId,
        content_key: input.contentKey,
        ...content,
        ...fresh,
        reversed_at: null,
        transaction_uuid: null,
        admin_lms_user_id: input.adminLmsUserId,
        created: now,
      });
      for (const set of [plan.charged, plan.notify, plan.created]) set.add(uuid);
      continue;
    }
    if (used.has(match.uuid)) continue;
    used.add(match.uuid);
    const learner = {
      lms_user_id: match.lms_user_id ?? lmsId,
      // An expired assignment whose email was scrubbed gets it back when the learner is re-assigned.
      learner_email: RETIRED_EMAIL.test(match.learner_email) ? email : match.learner_email,
    };
    if (REALLOCATE_STATES.includes(match.state)) {
      plan.writes.push({ ...writable(match), ...learner, ...content, ...fresh });
      plan.charged.add(match.uuid);
      plan.notify.add(match.uuid);
      continue;
    }
    const refreshed =
      match.state === 'allocated' &&
      (match.preferred_course_run_key !== content.preferred_course_run_key ||
        match.parent_content_key !== content.parent_content_key);
    if (refreshed || learner.lms_user_id !== match.lms_user_id) {
      // Allocated or accepted: never repriced, only linked to the learner or pointed at the current run.
      plan.writes.push({ ...writable(match), ...learner, ...(refreshed ? content : {}), modified: now });
      if (refreshed) plan.notify.add(match.uuid);
      continue;
    }
    plan.noChange.push(match);
  }
  return plan;
}
