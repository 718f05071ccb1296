import type { AppContext } from '../../context.js';
import type { Executor, Trx } from '../../database.js';
import { BusinessRule, ValidationFailed } from '../../shared/errors.js';
import { formatUsd } from '../../shared/money.js';
import { getEnterpriseCatalog, getEnterpriseGroup } from '../enterprise/index.js';
import { getBalances, lockLedger } from '../ledger/index.js';
import { getSubsidyRow, type SubsidyRow } from '../subsidy/index.js';
import * as policies from './policy.repository.js';
import { sumOfSpendLimits } from './read-policies.js';
import type { PolicyRow } from './schema.js';
import { spendOfPolicies } from './spend.js';

/*
 * The rules every policy write checks — the per-type field constraints, the subsidy, catalog and
 * groups of the policy's own customer, no deactivation with spend
 * (docs/decisions/0003-retire-not-delete-policies.md) and spend limits within deposits
 * (docs/decisions/0001-spend-limits-within-deposits.md) — shared by create, update, delete and
 * deposit-funds.
 */

type Limits = Pick<
  PolicyRow,
  'uuid' | 'policy_type' | 'spend_limit' | 'per_learner_enrollment_limit' | 'per_learner_spend_limit'
>;

const label = (p: Pick<PolicyRow, 'uuid' | 'policy_type'>) => `<${p.policy_type} uuid=${p.uuid}>`;

/** The per-type field constraints: 400 naming every violation, in the reference's words. */
export function checkFieldConstraints(p: Limits): void {
  const errors: Record<string, string[]> = {};
  const noSpendCap = 'must not define a per-learner spend limit.';
  const noEnrollmentCap = 'must not define a per-learner enrollment limit.';
  if (p.policy_type === 'PerLearnerEnrollmentCreditAccessPolicy' && p.per_learner_spend_limit !== null) {
    errors.per_learner_spend_limit = [noSpendCap];
  }
  if (p.policy_type === 'PerLearnerSpendCreditAccessPolicy' && p.per_learner_enrollment_limit !== null) {
    errors.per_learner_enrollment_limit = [noEnrollmentCap];
  }
  if (p.policy_type === 'AssignedLearnerCreditAccessPolicy') {
    if (p.spend_limit === null) errors.spend_limit = ['must define a spend_limit.'];
    if (p.per_learner_spend_limit !== null) errors.per_learner_spend_limit = [noSpendCap];
    if (p.per_learner_enrollment_limit !== null) errors.per_learner_enrollment_limit = [noEnrollmentCap];
  }
  const messages = Object.values(errors).flat();
  if (messages.length === 0) return;
  const list = messages.map((m) => `'${m}'`).join(', ');
  throw new ValidationFailed(
    `${label(p)} has the following field violations: [${list}]`,
    errors,
    'policy_field_violations',
  );
}

/** The subsidy must exist and belong to the policy's customer (the reference's admin-form check). */
export async function checkSubsidy(
  db: Executor,
  customerUuid: string,
  subsidyUuid: string,
): Promise<SubsidyRow> {
  const subsidy = await getSubsidyRow(db, subsidyUuid);
  if (!subsidy) throw ValidationFailed.field('subsidy_uuid', 'Subsidy does not exist', 'subsidy_not_found');
  if (subsidy.enterprise_customer_uuid !== customerUuid) {
    throw ValidationFailed.field(
      'subsidy_uuid',
      'Subsidy is not assigned to the same enterprise customer as the budget',
      'subsidy_of_another_customer',
    );
  }
  return subsidy;
}

export async function checkCatalog(db: Executor, customerUuid: string, catalogUuid: string): Promise<void> {
  const catalog = await getEnterpriseCatalog(db, catalogUuid);
  if (!catalog) throw ValidationFailed.field('catalog_uuid', 'Catalog does not exist', 'catalog_not_found');
  if (catalog.enterprise_customer_uuid !== customerUuid) {
    throw ValidationFailed.field(
      'catalog_uuid',
      'Catalog does not belong to the same enterprise customer as the budget',
      'catalog_of_another_customer',
    );
  }
}

/** Group uuids, de-duplicated, each a group of the policy's customer. */
export async function checkGroups(
  db: Executor,
  customerUuid: string,
  groupUuids: string[],
): Promise<string[]> {
  const unique = [...new Set(groupUuids)];
  const groups = await Promise.all(unique.map((g) => getEnterpriseGroup(db, g)));
  const bad = unique.filter((_, i) => groups[i]?.enterprise_customer_uuid !== customerUuid);
  if (bad.length > 0) {
    throw ValidationFailed.field(
      'group_associations',
      `Not groups of enterprise ${customerUuid}: ${bad.join(', ')}`,
      'unknown_group',
    );
  }
  return unique;
}

/**
 * Decision 0001: with `policy` as it is about to be saved (active), the spend limits of the subsidy's
 * active policies may not add up to more than the subsidy's total deposits. Locks the subsidy's
 * ledger row (after the policy row: the fixed order of redeem) so that two policies of one subsidy
 * cannot both pass the check at once.
 */
export async function checkSpendLimitsWithinDeposits(
  trx: Trx,
  policy: Pick<PolicyRow, 'uuid' | 'policy_type' | 'subsidy_uuid' | 'spend_limit'>,
): Promise<void> {
  const subsidy = await getSubsidyRow(trx, policy.subsidy_uuid);
  if (!subsidy) throw ValidationFailed.field('subsidy_uuid', 'Subsidy does not exist', 'subsidy_not_found');
  await lockLedger(trx, subsidy.ledger_uuid);
  const others = (await policies.activeOfSubsidy(trx, policy.subsidy_uuid)).filter(
    (p) => p.uuid !== policy.uuid,
  );
  const total = sumOfSpendLimits([...others, policy]);
  const { totalDeposits } = await getBalances(trx, subsidy.ledger_uuid);
  if (total > totalDeposits) {
    throw new BusinessRule(
      'spend_limit_exceeds_deposits',
      `${label(policy)} You cannot make this change, as the sum of all budget spend_limits for a given subsidy would exceed the sum of all deposits into that subsidy. If you are trying to re-balance policies, FIRST reduce the spend_limit of one, THEN increase the spend_limit of another. Error: ${formatUsd(total)} is greater than ${formatUsd(totalDeposits)}`,
      {
        errors: { spend_limit: ['The sum of active spend limits would exceed the subsidy total deposits.'] },
      },
    );
  }
}

/** A policy with live spend (pending included) cannot be deactivated: retire it instead (decision 0003). */
export async function checkNoSpendOnDeactivation(
  ctx: AppContext,
  trx: Trx,
  policy: PolicyRow,
): Promise<void> {
  const spend = (await spendOfPolicies(ctx, trx, [policy])).get(policy.uuid);
  if (spend && spend.redeemed > 0) {
    throw new BusinessRule('policy_has_spend', 'Cannot deactivate this policy while it has existing spend.', {
      errors: { active: ['Cannot deactivate this policy while it has existing spend.'] },
    });
  }
}
