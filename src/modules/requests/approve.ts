import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { BusinessRule, DomainError, NotFound } from '../../shared/errors.js';
import { canonicalUuid, type Principal } from '../../shared/principal.js';
import { bnrEnabled, getPolicyRow, lockPolicyForAllocation, type PolicyRow } from '../access/index.js';
import { allocateInTransaction } from '../assignments/index.js';
import { linkModeOf } from '../enterprise/index.js';
import { requireRequestsAdmin } from './authorize.js';
import { approvedEmail } from './emails.js';
import { requestFilter } from './list-requests.js';
import { emailLearners } from './notify.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestFilterQuery } from './requests.schemas.js';
import type { RequestRow } from './schema.js';
import { APPROVABLE_STATES, STATUS_LABELS } from './states.js';

export interface ApprovalFailure {
  uuid: string;
  reason: string;
  error_message: string;
}

export interface ApprovalOutcome {
  approved: string[];
  failed: ApprovalFailure[];
}

/** Refusals that concern one request only; every other refusal concerns the policy and fails all. */
const PER_REQUEST_REASONS = new Set(['PriceValidationError', 'content_not_in_catalog']);

const globalRefusal = (reason: string) =>
  new BusinessRule(
    reason,
    `[LC REQUEST APPROVAL] Failed to approve learner credit requests. Reason: ${reason}.`,
  );

interface RefusalReason {
  reason: string;
  user_message?: string | null;
  error_message?: string;
}

/** The first reason of an allocation refusal (assignments' 422 carries the reference's reason list). */
function allocationReason(err: unknown): RefusalReason | null {
  if (!(err instanceof DomainError) || err.status !== 422) return null;
  const reasons = (err as unknown as { reasons?: RefusalReason[] }).reasons;
  return reasons?.[0] ?? null;
}

/**
 * Approves requests of one policy in one transaction that locks the policy row first (the lock
 * redemptions and allocations take), so approvals, allocations and redemptions together never pass
 * its limit. Each request in `requested`/`error` becomes an allocated assignment at its requested
 * price; allocation checks every request before writing it, so a request refused on its own
 * (content not in the catalog, price outside [0.95, 1.05] of the catalog's) is recorded with a
 * failed_approval action while the others go on. A refusal of the policy (inactive, subsidy
 * expired, not enough value, spend limit — reached by the total of the valid requests) rolls the
 * whole batch back.
 */
async function approveLocked(
  ctx: AppContext,
  trx: Trx,
  actor: Principal,
  policyUuid: string,
  uuids: string[],
): Promise<ApprovalOutcome> {
  const policy = await lockPolicyForAllocation(trx, policyUuid);
  if (!bnrEnabled(policy)) throw globalRefusal('This policy does not support BNR');
  const rows = await requests.lockMany(trx, uuids);
  if (rows.length !== uuids.length || rows.some((r) => r.policy_uuid !== policy.uuid)) {
    throw new NotFound('Some learner credit requests were not found for this policy.', 'request_not_found');
  }
  const failed: ApprovalFailure[] = [];
  const refused: Array<{ row: RequestRow; reason: string }> = [];
  const assignmentOf = new Map<string, string>();
  for (const row of rows) {
    if (!APPROVABLE_STATES.includes(row.state)) {
      failed.push({
        uuid: row.uuid,
        reason: 'request_not_approvable',
        error_message: `Request ${row.uuid} is ${row.state}: only requested or errored requests can be approved.`,
      });
      continue;
    }
    try {
      const result = await allocateInTransaction(
        ctx,
        trx,
        policy,
        {
          policyUuid: policy.uuid,
          learnerEmails: [row.email],
          contentKey: row.course_id,
          contentPriceCents: row.course_price,
          adminLmsUserId: actor.lmsUserId,
          // The learner who asked: a member when they asked, recorded by id whatever their email.
          vouched: [{ email: row.email, lmsUserId: row.lms_user_id }],
        },
        { announce: false, linkMode: linkModeOf(actor) },
      );
      const assignment = [...result.created, ...result.updated, ...result.no_change][0];
      if (assignment?.state !== 'allocated') {
        const message = `The learner already holds ${row.course_id} through this policy.`;
        failed.push({ uuid: row.uuid, reason: 'already_assigned', error_message: message });
        refused.push({ row, reason: message });
        continue;
      }
      assignmentOf.set(row.uuid, assignment.uuid);
    } catch (err) {
      const reason = allocationReason(err);
      if (!reason) throw err;
      if (!PER_REQUEST_REASONS.has(reason.reason)) throw globalRefusal(reason.reason);
      const message = reason.error_message ?? reason.user_message ?? reason.reason;
      failed.push({ uuid: row.uuid, reason: reason.reason, error_message: message });
      refused.push({ row, reason: message });
    }
  }
  const now = ctx.clock.now();
  const approved = await recordChange(
    ctx,
    trx,
    rows.filter((r) => assignmentOf.has(r.uuid)),
    {
      action: { recentAction: 'approved' },
      fields: (r) => ({
        state: 'approved',
        reviewer_lms_user_id: actor.lmsUserId,
        reviewed_at: now,
        assignment_uuid: assignmentOf.get(r.uuid) ?? null,
      }),
    },
  );
  for (const { row, reason } of refused) {
    await recordChange(ctx, trx, [row], {
      action: {
        recentAction: 'approved',
        status: STATUS_LABELS.requested,
        errorReason: 'failed_approval',
        traceback: `Validation failed with reason: ${reason}`,
      },
    });
  }
  await emailLearners(ctx, trx, approvedEmail, approved);
  return { approved: approved.map((r) => r.uuid), failed };
}

async function approve(
  ctx: AppContext,
  actor: Principal,
  policy: PolicyRow,
  uuids: string[],
): Promise<ApprovalOutcome> {
  const outcome = await ctx.db.transaction((trx) => approveLocked(ctx, trx, actor, policy.uuid, uuids));
  if (outcome.failed.length > 0) {
    // The approvals and the failed_approval actions are committed; the caller learns which is which.
    throw new BusinessRule(
      'partial_approval',
      '[LC REQUEST APPROVAL] Failed to approve some learner credit requests.',
      { ...outcome },
    );
  }
  return outcome;
}

/** The policy, reviewed by this actor, of the enterprise the body names (if it names one). */
async function loadPolicy(
  ctx: AppContext,
  actor: Principal,
  policyUuid: string,
  enterpriseCustomerUuid: string | undefined,
): Promise<PolicyRow> {
  const policy = await getPolicyRow(ctx.db.kysely, policyUuid);
  if (!policy) throw new NotFound(`No subsidy access policy ${policyUuid}.`, 'policy_not_found');
  requireRequestsAdmin(actor, policy.enterprise_customer_uuid);
  if (
    enterpriseCustomerUuid &&
    canonicalUuid(enterpriseCustomerUuid) !== canonicalUuid(policy.enterprise_customer_uuid)
  ) {
    throw new BusinessRule(
      'enterprise_mismatch',
      `Policy ${policy.uuid} belongs to another enterprise than ${enterpriseCustomerUuid}; nothing was approved.`,
    );
  }
  return policy;
}

/** Admin `approve/`: the named requests of the policy (all must belong to it, else 404). */
export async function approveRequests(
  ctx: AppContext,
  actor: Principal,
  input: { policyUuid: string; requestUuids: string[]; enterpriseCustomerUuid?: string },
): Promise<ApprovalOutcome> {
  const policy = await loadPolicy(ctx, actor, input.policyUuid, input.enterpriseCustomerUuid);
  return approve(ctx, actor, policy, [...new Set(input.requestUuids.map((u) => u.toLowerCase()))]);
}

/** Admin `approve-all/`: every requested or errored request of the policy the list filters select. */
export async function approveAllRequests(
  ctx: AppContext,
  actor: Principal,
  input: { policyUuid: string; query: RequestFilterQuery; enterpriseCustomerUuid?: string },
): Promise<ApprovalOutcome> {
  const policy = await loadPolicy(ctx, actor, input.policyUuid, input.enterpriseCustomerUuid);
  const filter = requestFilter(actor, input.query);
  const states = filter.states?.length
    ? filter.states.filter((s) => (APPROVABLE_STATES as readonly string[]).includes(s))
    : [...APPROVABLE_STATES];
  const uuids = states.length
    ? await requests.uuidsWhere(ctx.db.kysely, { ...filter, policyUuid: policy.uuid, states })
    : [];
  if (uuids.length === 0) {
    throw new NotFound('No approvable learner credit requests match these filters.', 'no_matching_requests');
  }
  return approve(ctx, actor, policy, uuids);
}
