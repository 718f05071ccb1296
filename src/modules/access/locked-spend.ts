import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { allocatedCentsOfConfigurations } from '../assignments/index.js';
import { type LedgerRow, lockLedger, type SpendTotals, spendByPolicyAndLearners } from '../ledger/index.js';
import type { SubsidyRow } from '../subsidy/index.js';
import type { PolicyRow } from './schema.js';
import { type PolicySpend, policySpend } from './spend.js';

export interface LockedSpend {
  spend: Map<string, PolicySpend>;
  learnerTotals: Map<string, SpendTotals>;
  /** The subsidy's ledger row, locked for the rest of the transaction; null without a subsidy. */
  ledger: LedgerRow | null;
}

/**
 * What a redemption judges by, read once under the policy lock (which the caller holds): the
 * subsidy's ledger row, locked now (policy → ledger, the one lock order) so that its balance is
 * the one the spend will be written against; the policy's and the learner's totals in one
 * statement; the cents still allocated to assignments (assigned-credit policies only).
 */
export async function lockSpendForRedemption(
  ctx: AppContext,
  trx: Trx,
  policy: PolicyRow,
  subsidy: SubsidyRow | null,
  lmsUserId: number,
): Promise<LockedSpend> {
  const ledger = subsidy ? ((await lockLedger(trx, subsidy.ledger_uuid)) ?? null) : null;
  const totals = await spendByPolicyAndLearners(trx, policy.uuid, [lmsUserId]);
  const configuration = policy.assignment_configuration_uuid;
  const allocated = configuration
    ? ((await allocatedCentsOfConfigurations(trx, [configuration])).get(configuration) ?? 0)
    : 0;
  const spend = policySpend(policy, {
    row: ledger ? subsidy : null,
    balance: ledger?.balance_cents ?? 0,
    deposits: ledger?.total_deposits_cents ?? 0,
    totals: totals.policy,
    allocated,
    now: ctx.clock.now(),
  });
  return {
    spend: new Map([[policy.uuid, spend]]),
    learnerTotals: new Map([
      [policy.uuid, totals.learners.get(lmsUserId) ?? { spentCents: 0, redemptions: 0 }],
    ]),
    ledger,
  };
}
