import type { AppContext } from '../../context.js';
import { canonicalUuid, type Principal } from '../../shared/principal.js';
import { bnrPoliciesOfCustomer, policyModelView } from '../access/index.js';
import { catalogsContain } from '../enterprise/index.js';
import { requireMember } from './authorize.js';
import * as requests from './requests.repository.js';
import { ACTIVE_STATES } from './states.js';

export interface CanRequestAnswer {
  content_key: string;
  can_request: boolean;
  requestable_subsidy_access_policy: Record<string, unknown> | null;
  reason: string | null;
  existing_request?: string;
}

/**
 * Whether the learner in the token may ask for a course (learner portal's "Request enrollment"):
 * an active bnr-enabled policy of the enterprise whose catalog holds the course, and no active
 * request of theirs for it. One object, never an error for a "no".
 */
export async function canRequest(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; contentKey: string; origin: string },
): Promise<CanRequestAnswer> {
  const customer = canonicalUuid(input.enterpriseCustomerUuid);
  const db = ctx.db.kysely;
  await requireMember(db, actor, customer);
  const no = (reason: string, extra: { existing_request?: string } = {}): CanRequestAnswer => ({
    content_key: input.contentKey,
    can_request: false,
    requestable_subsidy_access_policy: null,
    reason,
    ...extra,
  });
  const policies = await bnrPoliciesOfCustomer(db, customer);
  if (policies.length === 0) return no('No policies with BnR enabled found');
  const contains = await catalogsContain(
    db,
    policies.map((p) => p.catalog_uuid),
    [input.contentKey],
  );
  const holding = policies.filter((p) => contains.get(p.catalog_uuid)?.[input.contentKey]);
  const policy = holding[0];
  if (!policy) return no('content_not_in_catalog');
  const existing = await requests.findInStates(db, {
    lmsUserId: actor.lmsUserId,
    customerUuid: customer,
    courseId: input.contentKey,
    states: ACTIVE_STATES,
  });
  if (existing) {
    return no(`You already have an active request for this course in state: ${existing.state}`, {
      existing_request: existing.uuid,
    });
  }
  return {
    content_key: input.contentKey,
    can_request: true,
    requestable_subsidy_access_policy: policyModelView(policy, input.origin, ctx.clock.now()),
    reason: null,
  };
}
