import type { AppContext } from '../../context.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import type { CreditRequestListRow } from './credit-requests.repository.js';
import * as creditRequests from './credit-requests.repository.js';
import { findLearner } from './learners.js';
import { apiDate } from './program-progress.js';

export function creditRequestView(r: CreditRequestListRow) {
  return {
    id: r.uuid,
    username: r.username,
    lms_user_id: r.lms_user_id,
    pathway_id: r.pathway_uuid,
    program_uuid: r.program_uuid,
    status: r.status,
    request_count: r.request_count,
    last_sent: r.last_sent ? apiDate(r.last_sent) : null,
    created: apiDate(r.created),
    modified: apiDate(r.modified),
  };
}

/** GET /api/v2/credit_requests/: who asked which pathway for credit for which program, how often. */
export async function listCreditRequests(
  ctx: AppContext,
  actor: Principal,
  input: { username?: string; programUuid?: string; pathwayUuid?: string; offset: number; limit: number },
) {
  requireRole(actor, 'credentials_admin');
  const db = ctx.db.kysely;
  let learnerUuid: string | undefined;
  if (input.username) {
    const learner = await findLearner(db, { username: input.username });
    if (!learner) return { count: 0, results: [] };
    learnerUuid = learner.uuid;
  }
  const filter = { learnerUuid, programUuid: input.programUuid, pathwayUuid: input.pathwayUuid };
  const { count, rows } = await creditRequests.list(db, filter, input);
  return { count, results: rows.map(creditRequestView) };
}
