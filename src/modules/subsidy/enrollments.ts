import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import * as enrollments from './enrollment.repository.js';
import type { EnrollmentRow } from './schema.js';

/** A learner's own enrollments paid with learner credit, newest first. */
export async function listOwnEnrollments(
  ctx: AppContext,
  actor: Principal,
  page: { offset: number; limit: number },
): Promise<{ count: number; rows: EnrollmentRow[] }> {
  return enrollments.listOfLearner(ctx.db.kysely, actor.lmsUserId, page);
}
