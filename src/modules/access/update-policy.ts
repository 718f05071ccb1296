import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { bnrEnabled } from './bnr.js';
import { policyNotFound, requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import {
  checkCatalog,
  checkFieldConstraints,
  checkGroups,
  checkNoSpendOnDeactivation,
  checkSpendLimitsWithinDeposits,
  checkSubsidy,
} from './policy.rules.js';
import { UPDATABLE_FIELDS } from './policy.schemas.js';
import type { AccessMethod, PolicyRow } from './schema.js';
import { switchBnr } from './switch-bnr.js';

/** A partial update; `undefined` leaves a field as it is. */
export interface PolicyChanges {
  displayName?: string | null;
  description?: string | null;
  active?: boolean;
  retired?: boolean | null;
  retiredAt?: Date | null;
  catalogUuid?: string;
  subsidyUuid?: string;
  accessMethod?: AccessMethod;
  spendLimit?: number | null;
  perLearnerSpendLimit?: number | null;
  perLearnerEnrollmentLimit?: number | null;
  lateRedemptionAllowedUntil?: Date | null;
  groupAssociations?: string[];
  /** Browse & request on or off (operators). */
  bnrEnabled?: boolean;
}

/** The reference's 400 for keys a PUT/PATCH may not carry, all named at once, sorted. */
export function refuseNotUpdatable(sentKeys: string[]): void {
  const allowed = new Set<string>(UPDATABLE_FIELDS);
  const bad = sentKeys.filter((k) => !allowed.has(k)).sort();
  if (bad.length === 0) return;
  const message = `Field(s) are not updatable: ${bad.join(', ')}`;
  throw new ValidationFailed(message, { non_field_errors: [message] }, 'fields_not_updatable');
}

const pick = <T>(change: T | undefined, current: T): T => (change === undefined ? current : change);

/**
 * Operators change a policy (PUT and PATCH are both partial). Under the policy row lock: the type
 * constraints, the customer's subsidy/catalog/groups, no deactivation with spend, and spend limits
 * within deposits (docs/decisions/0001-spend-limits-within-deposits.md) when the policy is (or
 * becomes) active with a new limit or subsidy. `retired` maintains `retired_at`
 * (docs/decisions/0003-retire-not-delete-policies.md).
 */
export async function updatePolicy(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: { sentKeys: string[]; changes: PolicyChanges },
): Promise<PolicyRow> {
  requireWritePolicies(actor);
  refuseNotUpdatable(input.sentKeys);
  const c = input.changes;
  return ctx.db.transaction(async (trx) => {
    const current = await policies.lockById(trx, uuid);
    if (!current) throw policyNotFound(uuid);
    const now = ctx.clock.now();
    const retired = c.retired === undefined ? current.retired : (c.retired ?? false);
    const retiredAt =
      retired !== current.retired ? (retired ? now : null) : pick(c.retiredAt, current.retired_at);
    const next: PolicyRow = {
      ...current,
      display_name: pick(c.displayName, current.display_name),
      description: pick(c.description, current.description) ?? '',
      active: pick(c.active, current.active),
      retired,
      retired_at: retiredAt,
      catalog_uuid: pick(c.catalogUuid, current.catalog_uuid),
      subsidy_uuid: pick(c.subsidyUuid, current.subsidy_uuid),
      access_method:
        current.policy_type === 'AssignedLearnerCreditAccessPolicy'
          ? 'assigned'
          : pick(c.accessMethod, current.access_method),
      spend_limit: pick(c.spendLimit, current.spend_limit),
      per_learner_spend_limit: pick(c.perLearnerSpendLimit, current.per_learner_spend_limit),
      per_learner_enrollment_limit: pick(c.perLearnerEnrollmentLimit, current.per_learner_enrollment_limit),
      late_redemption_allowed_until: pick(
        c.lateRedemptionAllowedUntil,
        current.late_redemption_allowed_until,
      ),
      modified: now,
    };
    checkFieldConstraints(next);
    const customer = current.enterprise_customer_uuid;
    if (next.subsidy_uuid !== current.subsidy_uuid) await checkSubsidy(trx, customer, next.subsidy_uuid);
    if (next.catalog_uuid !== current.catalog_uuid) await checkCatalog(trx, customer, next.catalog_uuid);
    const groups = c.groupAssociations && (await checkGroups(trx, customer, c.groupAssociations));
    if (current.active && !next.active) await checkNoSpendOnDeactivation(ctx, trx, current);
    const limitsChange =
      !current.active ||
      next.spend_limit !== current.spend_limit ||
      next.subsidy_uuid !== current.subsidy_uuid;
    if (next.active && limitsChange) await checkSpendLimitsWithinDeposits(trx, next);
    if (c.bnrEnabled !== undefined && c.bnrEnabled !== bnrEnabled(current)) {
      Object.assign(next, await switchBnr(ctx, trx, next, c.bnrEnabled));
    }
    const { uuid: _uuid, created: _created, ...fields } = next;
    const saved = await policies.update(trx, uuid, fields);
    if (groups) await policies.setGroups(trx, uuid, groups, now);
    return saved;
  });
}
