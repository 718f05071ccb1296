import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import type { RevenueCategory, SubsidyRow } from './schema.js';
import { subsidyNotFound } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

export interface SubsidyChanges {
  title?: string | null;
  activeDatetime?: Date | null;
  expirationDatetime?: Date | null;
  referenceId?: string | null;
  internalOnly?: boolean;
  revenueCategory?: RevenueCategory;
}

/** Operators change a subsidy's descriptive fields and dates; its money moves only through the ledger. */
export async function updateSubsidy(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  changes: SubsidyChanges,
): Promise<SubsidyRow> {
  requireOperator(actor);
  return ctx.db.transaction(async (trx) => {
    const current = await subsidies.getById(trx, uuid);
    if (!current) throw subsidyNotFound(uuid);
    const active = changes.activeDatetime !== undefined ? changes.activeDatetime : current.active_datetime;
    const expiration =
      changes.expirationDatetime !== undefined ? changes.expirationDatetime : current.expiration_datetime;
    if (active && expiration && active > expiration) {
      throw ValidationFailed.field(
        'expiration_datetime',
        'must not be before the active datetime',
        'invalid_dates',
      );
    }
    return subsidies.update(trx, uuid, {
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.referenceId !== undefined ? { reference_id: changes.referenceId } : {}),
      ...(changes.internalOnly !== undefined ? { internal_only: changes.internalOnly } : {}),
      ...(changes.revenueCategory !== undefined ? { revenue_category: changes.revenueCategory } : {}),
      active_datetime: active,
      expiration_datetime: expiration,
      modified: ctx.clock.now(),
    });
  });
}

/** Soft delete: the subsidy disappears from lists; its ledger and history stay. */
export async function deleteSubsidy(ctx: AppContext, actor: Principal, uuid: string): Promise<void> {
  requireOperator(actor);
  await ctx.db.transaction(async (trx) => {
    if (!(await subsidies.getById(trx, uuid))) throw subsidyNotFound(uuid);
    await subsidies.update(trx, uuid, { is_soft_deleted: true, modified: ctx.clock.now() });
  });
}
