import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { allocatedCentsOfConfigurations } from '../assignments/index.js';
import { getBalancesOf, type SpendTotals, spendByPolicies } from '../ledger/index.js';
import { getSubsidyRows, isSubsidyActive, type SubsidyRow } from '../subsidy/index.js';
import type { PolicyRow } from './schema.js';

export interface PolicySpend {
  subsidy: SubsidyRow | null;
  subsidyBalance: number;
  totalDeposits: number;
  isSubsidyActive: boolean;
  /** Cents redeemed through the policy: live spends, pending ones included, refunds excluded. */
  redeemed: number;
  redemptions: number;
  /** Cents set aside by still-allocated assignments (assigned-credit policies). */
  allocated: number;
  /** What can still be spent through the policy: its limit left, never more than the subsidy holds. */
  available: number;
}

/** A policy's spend figures from what was read of its subsidy, ledger and totals. */
export function policySpend(
  p: PolicyRow,
  read: {
    row: SubsidyRow | null;
    balance: number;
    deposits: number;
    totals: SpendTotals | undefined;
    allocated: number;
    now: Date;
  },
): PolicySpend {
  const t = read.totals ?? { spentCents: 0, redemptions: 0 };
  const limitLeft = p.spend_limit === null ? read.balance : Math.max(0, p.spend_limit - t.spentCents);
  return {
    subsidy: read.row,
    subsidyBalance: read.balance,
    totalDeposits: read.deposits,
    isSubsidyActive: read.row ? isSubsidyActive(read.row, read.now) : false,
    redeemed: t.spentCents,
    redemptions: t.redemptions,
    allocated: read.allocated,
    available: Math.max(0, Math.min(limitLeft, read.balance) - read.allocated),
  };
}

/** Spend figures of many policies: a bounded number of reads whatever their number or history. */
export async function spendOfPolicies(
  ctx: AppContext,
  db: Executor,
  policies: PolicyRow[],
): Promise<Map<string, PolicySpend>> {
  const configurations = policies.flatMap((p) =>
    p.assignment_configuration_uuid ? [p.assignment_configuration_uuid] : [],
  );
  const allocatedByConfiguration = await allocatedCentsOfConfigurations(db, configurations);
  const totals = await spendByPolicies(
    db,
    policies.map((p) => p.uuid),
  );
  // Three queries whatever the number of policies: totals, subsidies, their ledgers' balances.
  const rows = await getSubsidyRows(db, [...new Set(policies.map((p) => p.subsidy_uuid))]);
  const balances = await getBalancesOf(
    db,
    rows.map((r) => r.ledger_uuid),
  );
  const subsidies = new Map<string, { row: SubsidyRow | null; balance: number; deposits: number }>();
  for (const row of rows) {
    const b = balances.get(row.ledger_uuid);
    subsidies.set(row.uuid, { row, balance: b?.balance ?? 0, deposits: b?.totalDeposits ?? 0 });
  }
  const now = ctx.clock.now();
  const out = new Map<string, PolicySpend>();
  for (const p of policies) {
    const s = subsidies.get(p.subsidy_uuid) ?? { row: null, balance: 0, deposits: 0 };
    const allocated = p.assignment_configuration_uuid
      ? (allocatedByConfiguration.get(p.assignment_configuration_uuid) ?? 0)
      : 0;
    out.set(p.uuid, policySpend(p, { ...s, totals: totals.get(p.uuid), allocated, now }));
  }
  return out;
}
