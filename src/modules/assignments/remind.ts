import type { AppContext } from '../../context.js';
import { BusinessRule, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { reminderTooSoon, reminderWindowStart } from '../../shared/reminders.js';
import { loadConfiguration, requireAssignmentAdmin } from './access.js';
import * as actions from './actions.repository.js';
import * as adminRepo from './admin-list.repository.js';
import * as assignments from './assignments.repository.js';
import { reminderEmail } from './emails.js';
import { configurationFacts, viewFacts } from './facts.js';
import { emailAndRecord } from './notify.js';
import { REMINDABLE_STATES } from './schema.js';

export interface RemindResult {
  reminded: string[];
  non_remindable: string[];
  not_found: string[];
}

/**
 * Reminds learners of allocated assignments: an email and a `reminded` action each. Unlike the
 * reference, which silently skips assignments that are not allocated, any non-remindable or
 * unknown uuid refuses the request with 422 naming them, and nothing is sent.
 */
export async function remindAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuids: string[] },
): Promise<RemindResult> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const facts = await configurationFacts(db, config);
  return ctx.db.transaction(async (trx) => {
    const wanted = [...new Set(input.assignmentUuids)];
    const found = await assignments.getManyInConfiguration(trx, config.uuid, wanted);
    const remindable = found.filter((r) => REMINDABLE_STATES.includes(r.state));
    const result: RemindResult = {
      reminded: remindable.map((r) => r.uuid),
      non_remindable: found.filter((r) => !REMINDABLE_STATES.includes(r.state)).map((r) => r.uuid),
      not_found: wanted.filter((u) => !found.some((r) => r.uuid === u)),
    };
    if (result.non_remindable.length || result.not_found.length) {
      throw new BusinessRule('assignments_not_remindable', 'Some assignments cannot be reminded.', {
        ...result,
        reminded: [],
      });
    }
    const since = reminderWindowStart(ctx);
    const recent = since ? await actions.remindedSince(trx, result.reminded, since) : new Set<string>();
    if (recent.size > 0) {
      throw reminderTooSoon(ctx.config.reminderIntervalHours, { recently_reminded: [...recent].sort() });
    }
    const view = await viewFacts(ctx, trx, remindable, facts.subsidyExpiration);
    await emailAndRecord(ctx, trx, remindable, { template: reminderEmail, action: 'reminded', facts, view });
    return result;
  });
}

/**
 * Reminds the learners of every allocated assignment that the admin list's filters select (the
 * same filter code as the list), in one transaction. None selected → 404, as the reference.
 */
export async function remindAllAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; filter: adminRepo.AdminFilter },
): Promise<{ reminded: string[] }> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const facts = await configurationFacts(db, config);
  return ctx.db.transaction(async (trx) => {
    const selected = await adminRepo.adminUuids(trx, config.uuid, {
      ...input.filter,
      within: REMINDABLE_STATES,
    });
    const remindable = (await assignments.getManyInConfiguration(trx, config.uuid, selected)).filter((r) =>
      REMINDABLE_STATES.includes(r.state),
    );
    if (remindable.length === 0) {
      throw new NotFound('No remindable assignments match these filters.', 'no_matching_assignments');
    }
    // The ones reminded within the interval are left out; if that is all of them, it is too soon.
    const since = reminderWindowStart(ctx);
    const recent = since
      ? await actions.remindedSince(
          trx,
          remindable.map((r) => r.uuid),
          since,
        )
      : new Set<string>();
    const rows = remindable.filter((r) => !recent.has(r.uuid));
    if (rows.length === 0) throw reminderTooSoon(ctx.config.reminderIntervalHours);
    const view = await viewFacts(ctx, trx, rows, facts.subsidyExpiration);
    await emailAndRecord(ctx, trx, rows, { template: reminderEmail, action: 'reminded', facts, view });
    return { reminded: rows.map((r) => r.uuid) };
  });
}
