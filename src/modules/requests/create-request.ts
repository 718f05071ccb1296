import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { BusinessRule, ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { bnrEnabled, getPolicyRow } from '../access/index.js';
import { commerceFacts } from '../catalog/index.js';
import { getLearner } from '../enterprise/index.js';
import { requireMember } from './authorize.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestRow } from './schema.js';
import { ACTIVE_STATES, REUSABLE_STATES } from './states.js';

export interface CreateRequestInput {
  policyUuid: string;
  courseId: string;
  coursePrice: number;
  enterpriseCustomerUuid?: string;
}

const duplicate = (courseId: string, policyUuid: string) =>
  new BusinessRule(
    'duplicate_request',
    `You already have an active learner credit request for course ${courseId} under policy UUID: ${policyUuid}.`,
  );

/**
 * A learner asks for a course on a bnr-enabled policy (browse & request). One active request
 * per learner and course in the enterprise (a partial unique index holds it under any race); an
 * ended one (cancelled, expired, reversed) for the same course and policy is reused and asked
 * again. Returns whether a new request was made (201) or an ended one reused (200).
 */
export async function createRequest(
  ctx: AppContext,
  actor: Principal,
  input: CreateRequestInput,
): Promise<{ request: RequestRow; created: boolean }> {
  const db = ctx.db.kysely;
  const policy = await getPolicyRow(db, input.policyUuid);
  if (!policy) {
    throw ValidationFailed.field(
      'policy_uuid',
      `Invalid policy_uuid: ${input.policyUuid}.`,
      'invalid_policy_uuid',
    );
  }
  const customer = policy.enterprise_customer_uuid;
  await requireMember(db, actor, customer);
  if (input.enterpriseCustomerUuid && input.enterpriseCustomerUuid.toLowerCase() !== customer) {
    throw ValidationFailed.field(
      'enterprise_customer_uuid',
      `Policy ${policy.uuid} belongs to another enterprise.`,
      'enterprise_mismatch',
    );
  }
  const configUuid = policy.learner_credit_request_config_uuid;
  if (!bnrEnabled(policy) || !configUuid || !policy.active || policy.retired) {
    throw ValidationFailed.field(
      'policy_uuid',
      `Browse & Request is not active for policy UUID: ${policy.uuid}.`,
      'bnr_not_active',
    );
  }
  const email = actor.email ?? (await getLearner(db, actor.lmsUserId))?.email ?? null;
  if (!email) {
    throw new ValidationFailed(
      'Your account has no email address to send the decision to.',
      {},
      'email_required',
    );
  }
  const facts = (await commerceFacts(ctx, db, [input.courseId])).get(input.courseId) ?? null;
  try {
    return await ctx.db.transaction(async (trx) => {
      const active = await requests.findInStates(trx, {
        lmsUserId: actor.lmsUserId,
        customerUuid: customer,
        courseId: input.courseId,
        states: ACTIVE_STATES,
      });
      if (active) throw duplicate(input.courseId, policy.uuid);
      const now = ctx.clock.now();
      const asked = {
        state: 'requested' as const,
        email,
        course_price: input.coursePrice,
        course_title: facts?.courseTitle ?? null,
        requested_at: now,
        reviewed_at: null,
        reviewer_lms_user_id: null,
        decline_reason: null,
        assignment_uuid: null,
      };
      const ended = await requests.lockReusable(trx, {
        lmsUserId: actor.lmsUserId,
        configUuid,
        courseId: input.courseId,
        states: REUSABLE_STATES,
      });
      const row =
        ended ??
        (await requests.insert(trx, {
          uuid: ctx.ids.uuid(),
          lms_user_id: actor.lmsUserId,
          enterprise_customer_uuid: customer,
          policy_uuid: policy.uuid,
          learner_credit_request_config_uuid: configUuid,
          course_id: input.courseId,
          course_partners: JSON.stringify([]),
          ...asked,
          created: now,
          modified: now,
        }));
      const [request] = await recordChange(ctx, trx, [row], {
        action: { recentAction: 'requested' },
        fields: () => asked,
      });
      return { request: request as RequestRow, created: !ended };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'learner_credit_requests_active'))
      throw duplicate(input.courseId, policy.uuid);
    throw err;
  }
}
