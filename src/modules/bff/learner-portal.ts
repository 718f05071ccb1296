import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { customerHasBnrPolicy } from '../access/index.js';
import type { BffRequest, DashboardResponse, LearnerBaseResponse } from './bff.schemas.js';
import { dashboardEnrollments, NO_ENROLLMENTS } from './dashboard-enrollments.js';
import { learnerContext } from './learner-context.js';

/** The dashboard route: the shared context, the caller's enrollments, and whether B&R is on. */
export async function learnerDashboard(
  ctx: AppContext,
  actor: Principal,
  input: BffRequest,
): Promise<DashboardResponse> {
  const { base, customerUuid, linked } = await learnerContext(ctx, actor, input);
  const [enrollments, bnr] = await Promise.all([
    linked ? dashboardEnrollments(ctx, customerUuid, actor.lmsUserId) : NO_ENROLLMENTS,
    customerHasBnrPolicy(ctx.db.kysely, customerUuid),
  ]);
  return { ...base, ...enrollments, has_bnr_enabled_policy: bnr };
}

/** Search, academy and skills quiz: enterprise-access adds nothing to the shared context. */
export async function learnerBase(
  ctx: AppContext,
  actor: Principal,
  input: BffRequest,
): Promise<LearnerBaseResponse> {
  return (await learnerContext(ctx, actor, input)).base;
}
