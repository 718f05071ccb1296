import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { ensureAssignmentConfiguration } from '../assignments/index.js';
import { lockLedger } from '../ledger/index.js';
import { getSubsidyRow } from '../subsidy/index.js';
import { requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import {
  checkCatalog,
  checkFieldConstraints,
  checkGroups,
  checkSpendLimitsWithinDeposits,
  checkSubsidy,
} from './policy.rules.js';
import type { AccessMethod, PolicyRow, PolicyType } from './schema.js';

export interface CreatePolicyInput {
  policyType: PolicyType;
  enterpriseCustomerUuid: string;
  catalogUuid: string;
  subsidyUuid: string;
  accessMethod: AccessMethod;
  displayName?: string | null;
  description?: string | null;
  active?: boolean;
  retired?: boolean | null;
  spendLimit?: number | null;
  perLearnerEnrollmentLimit?: number | null;
  perLearnerSpendLimit?: number | null;
  lateRedemptionAllowedUntil?: Date | null;
  groupAssociations?: string[];
}

/**
 * Operators create a policy, idempotently (docs/decisions/0004-idempotent-policy-create.md): an
 * active policy of the same type, customer, subsidy, catalog and access method is returned
 * unchanged (`created: false`). An active new policy must fit the subsidy's deposits
 * (docs/decisions/0001-spend-limits-within-deposits.md) — Campus checks on create too, where the
 * reference checks only on update.
 */
export async function createPolicy(
  ctx: AppContext,
  actor: Principal,
  input: CreatePolicyInput,
): Promise<{ policy: PolicyRow; created: boolean }> {
  requireWritePolicies(actor);
  const now = ctx.clock.now();
  const retired = input.retired ?? false;
  const row = {
    uuid: ctx.ids.uuid(),
    policy_type: input.policyType,
    enterprise_customer_uuid: input.enterpriseCustomerUuid,
    display_name: input.displayName ?? null,
    description: input.description ?? '',
    active: input.active ?? false,
    retired,
    retired_at: retired ? now : null,
    catalog_uuid: input.catalogUuid,
    subsidy_uuid: input.subsidyUuid,
    // An assigned-credit policy is always reached by assignment (the reference forces it on save).
    access_method:
      input.policyType === 'AssignedLearnerCreditAccessPolicy' ? ('assigned' as const) : input.accessMethod,
    spend_limit: input.spendLimit ?? null,
    per_learner_enrollment_limit: input.perLearnerEnrollmentLimit ?? null,
    per_learner_spend_limit: input.perLearnerSpendLimit ?? null,
    late_redemption_allowed_until: input.lateRedemptionAllowedUntil ?? null,
    assignment_configuration_uuid: null,
    learner_credit_request_config_uuid: null,
    created: now,
    modified: now,
  } satisfies PolicyRow;
  checkFieldConstraints(row);
  return ctx.db.transaction(async (trx) => {
    const customer = row.enterprise_customer_uuid;
    await checkSubsidy(trx, customer, row.subsidy_uuid);
    await checkCatalog(trx, customer, row.catalog_uuid);
    const groups = await checkGroups(trx, customer, input.groupAssociations ?? []);
    // The subsidy's ledger row serializes creates on one subsidy: two identical requests racing
    // make one policy, and the deposits check sees every other active policy.
    const subsidy = await getSubsidyRow(trx, row.subsidy_uuid);
    if (subsidy) await lockLedger(trx, subsidy.ledger_uuid);
    const twin = await policies.findActiveTwin(trx, row);
    if (twin) return { policy: twin, created: false };
    if (row.active) await checkSpendLimitsWithinDeposits(trx, row);
    // An assigned-credit policy always has its assignment configuration (created with it).
    const configuration =
      row.policy_type === 'AssignedLearnerCreditAccessPolicy'
        ? await ensureAssignmentConfiguration(ctx, trx, { enterpriseCustomerUuid: customer })
        : null;
    const policy = await policies.insert(trx, {
      ...row,
      assignment_configuration_uuid: configuration?.uuid ?? null,
    });
    if (groups.length > 0) await policies.setGroups(trx, policy.uuid, groups, now);
    return { policy, created: true };
  });
}
