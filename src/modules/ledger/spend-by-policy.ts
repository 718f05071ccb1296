import type { Executor } from '../../database.js';
import type { SpendTotals } from './spend-by-policy.repository.js';
import * as repository from './spend-by-policy.repository.js';

/**
 * Spend by policy reference: what the ledger promises about the `subsidy_access_policy_uuid` each
 * spend records. The ledger does not know what a policy is (access does); it keeps, under the
 * ledger row lock, the live spend (not failed, not reversed: cents and count) recorded under each
 * reference and under each reference and learner, so a reader never sums the journal.
 * `campus ledger verify` recomputes both from the journal.
 */
export type { SpendTotals };

/** The live spend recorded under one policy reference in one ledger (zero when none). */
export function spendByPolicy(db: Executor, ledgerUuid: string, policyUuid: string): Promise<SpendTotals> {
  return repository.policyTotals(db, ledgerUuid, policyUuid);
}

/** The live spend under each of many policy references, in one query; a reference with none is absent. */
export function spendByPolicies(db: Executor, policyUuids: string[]): Promise<Map<string, SpendTotals>> {
  return repository.totalsOfPolicies(db, policyUuids);
}

/**
 * The live spend under one policy reference and, within it, of each of these learners, in one
 * statement (the redemption path's read: one learner, or every learner of a batch).
 */
export function spendByPolicyAndLearners(
  db: Executor,
  policyUuid: string,
  lmsUserIds: number[],
): Promise<{ policy: SpendTotals; learners: Map<number, SpendTotals> }> {
  return repository.policyAndLearnerTotals(db, policyUuid, lmsUserIds);
}

/** The live spend of each of these learners under each of these policy references: learner → reference → totals, one query. */
export function learnersSpendByPolicy(
  db: Executor,
  policyUuids: string[],
  lmsUserIds: number[],
): Promise<Map<number, Map<string, SpendTotals>>> {
  return repository.learnersTotals(db, policyUuids, lmsUserIds);
}
