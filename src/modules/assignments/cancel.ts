import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { BusinessRule, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { loadConfiguration, requireAssignmentAdmin } from './access.js';
import * as adminRepo from './admin-list.repository.js';
import * as assignments from './assignments.repository.js';
import { cancelledEmail } from './emails.js';
import { type ConfigurationFacts, configurationFacts } from './facts.js';
import { emailAndRecord } from './notify.js';
import { policies } from './policies.js';
import { recordDone } from './record-action.js';
import { type AssignmentRow, CANCELABLE_STATES } from './schema.js';
import { announceTransition } from './transitions.js';

export interface CancelResult {
  cancelled: string[];
  already_cancelled: string[];
  non_cancelable: string[];
  not_found: string[];
}

/** State cancelled, cancelled_at now, an email and a `cancelled` action each: four statements. */
async function cancelRows(
  ctx: AppContext,
  trx: Executor,
  rows: AssignmentRow[],
  facts: ConfigurationFacts,
): Promise<void> {
  const now = ctx.clock.now();
  const changed = await assignments.updateMany(
    trx,
    rows.map((r) => r.uuid),
    { state: 'cancelled', cancelled_at: now, learner_acknowledged: false, modified: now },
  );
  await emailAndRecord(ctx, trx, changed, { template: cancelledEmail, action: 'cancelled', facts });
  await announceTransition(ctx, trx, { to: 'cancelled', assignments: changed });
}

/**
 * Cancels allocated or errored assignments: state cancelled, cancelled_at now, an email to the
 * learner and a `cancelled` action, in one transaction. Already-cancelled ones are left as they
 * are. Any uuid not in the configuration, or in a state that cannot be cancelled, refuses the
 * whole request with 422 naming them, and nothing changes.
 */
export async function cancelAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuids: string[] },
): Promise<CancelResult> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const facts = await configurationFacts(db, config);
  return ctx.db.transaction(async (trx) => {
    // The policy row first, as redeem and allocate take it: a cancel and a redemption of the same
    // assignment are serialized, so an accepted assignment is never cancelled underneath.
    if (facts.policy) await policies().lock(trx, facts.policy.uuid);
    const wanted = [...new Set(input.assignmentUuids)];
    const found = await assignments.getManyInConfiguration(trx, config.uuid, wanted);
    const notFound = wanted.filter((u) => !found.some((r) => r.uuid === u));
    const cancelable = found.filter((r) => CANCELABLE_STATES.includes(r.state));
    const already = found.filter((r) => r.state === 'cancelled');
    const non = found.filter((r) => !CANCELABLE_STATES.includes(r.state) && r.state !== 'cancelled');
    const result: CancelResult = {
      cancelled: cancelable.map((r) => r.uuid),
      already_cancelled: already.map((r) => r.uuid),
      non_cancelable: non.map((r) => r.uuid),
      not_found: notFound,
    };
    if (notFound.length || non.length) {
      throw new BusinessRule('assignments_not_cancelable', 'Some assignments cannot be cancelled.', {
        ...result,
        cancelled: [],
      });
    }
    await cancelRows(ctx, trx, cancelable, facts);
    return result;
  });
}

/**
 * Cancels every allocated or errored assignment of the configuration that the admin list's
 * filters select (the same filter code as the list), in one transaction after the policy row
 * lock. None selected → 404, as the reference.
 */
export async function cancelAllAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; filter: adminRepo.AdminFilter },
): Promise<{ cancelled: string[] }> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const facts = await configurationFacts(db, config);
  return ctx.db.transaction(async (trx) => {
    if (facts.policy) await policies().lock(trx, facts.policy.uuid);
    const selected = await adminRepo.adminUuids(trx, config.uuid, {
      ...input.filter,
      within: CANCELABLE_STATES,
    });
    // Locked and read again: only what is still cancelable now.
    const rows = (await assignments.getManyInConfiguration(trx, config.uuid, selected)).filter((r) =>
      CANCELABLE_STATES.includes(r.state),
    );
    if (rows.length === 0) {
      throw new NotFound('No cancelable assignments match these filters.', 'no_matching_assignments');
    }
    await cancelRows(ctx, trx, rows, facts);
    return { cancelled: rows.map((r) => r.uuid) };
  });
}

/**
 * Cancels assignments inside the caller's transaction, which holds their policy's row lock, with
 * a `cancelled` action each but no assignment email (browse & request sends its own). Those not
 * in a cancelable state are returned untouched, for the caller to refuse.
 */
export async function cancelAssignmentsInTransaction(
  ctx: AppContext,
  trx: Executor,
  assignmentUuids: string[],
): Promise<{ cancelled: AssignmentRow[]; nonCancelable: AssignmentRow[] }> {
  const rows = await assignments.getMany(trx, assignmentUuids);
  const cancelable = rows.filter((r) => CANCELABLE_STATES.includes(r.state));
  const now = ctx.clock.now();
  const changed = await assignments.updateMany(
    trx,
    cancelable.map((r) => r.uuid),
    { state: 'cancelled', cancelled_at: now, learner_acknowledged: false, modified: now },
  );
  await recordDone(ctx, trx, changed, 'cancelled');
  await announceTransition(ctx, trx, { to: 'cancelled', assignments: changed });
  return { cancelled: changed, nonCancelable: rows.filter((r) => !CANCELABLE_STATES.includes(r.state)) };
}
