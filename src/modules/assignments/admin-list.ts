import type { AppContext } from '../../context.js';
import { type PaginationQuery, pageWindow } from '../../http/pagination.js';
import type { Principal } from '../../shared/principal.js';
import { assignmentNotFound, loadConfiguration, requireAssignmentAdmin } from './access.js';
import * as adminRepo from './admin-list.repository.js';
import { configurationFacts, viewFacts } from './facts.js';
import type { LearnerState } from './schema.js';
import { type AdminAssignmentView, adminAssignmentView } from './views.js';

export interface AdminListResult {
  count: number;
  results: AdminAssignmentView[];
  learner_state_counts: Array<{ learner_state: LearnerState; count: number }>;
}

/** `?ordering=-recent_action_time,content_quantity` → the repository's ordering (default newest action first). */
export function parseOrdering(text: string | undefined): adminRepo.AdminOrdering {
  const fields = ['recent_action_time', 'learner_state_sort_order', 'content_quantity'] as const;
  const out: adminRepo.AdminOrdering = [];
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const desc = part.startsWith('-');
    const field = fields.find((f) => f === part.replace(/^-/, ''));
    if (field) out.push({ field, desc });
  }
  return out.length ? out : [{ field: 'recent_action_time', desc: true }];
}

export async function listAdminAssignments(
  ctx: AppContext,
  actor: Principal,
  input: {
    configurationUuid: string;
    filter: adminRepo.AdminFilter;
    ordering?: string;
    page: PaginationQuery;
  },
): Promise<AdminListResult> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const [page, cfacts] = await Promise.all([
    adminRepo.adminPage(db, config.uuid, input.filter, parseOrdering(input.ordering), pageWindow(input.page)),
    configurationFacts(db, config),
  ]);
  const facts = await viewFacts(ctx, db, page.rows, cfacts.subsidyExpiration);
  return {
    count: page.count,
    results: page.rows.map((r) => adminAssignmentView(r, facts)),
    learner_state_counts: page.learnerStates,
  };
}

export async function getAdminAssignment(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuid: string },
): Promise<AdminAssignmentView> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const row = await adminRepo.adminRow(db, config.uuid, input.assignmentUuid);
  if (!row) throw assignmentNotFound(input.assignmentUuid);
  const cfacts = await configurationFacts(db, config);
  return adminAssignmentView(row, await viewFacts(ctx, db, [row], cfacts.subsidyExpiration));
}
