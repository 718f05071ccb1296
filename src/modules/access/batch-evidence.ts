import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { type AssignmentRow, assignmentsForContents } from '../assignments/index.js';
import {
  activeMembersAmong,
  catalogsContain,
  getLearners,
  groupUuidsOfLearners,
} from '../enterprise/index.js';
import { learnersSpendByPolicy, type SpendTotals } from '../ledger/index.js';
import { usesAssignments } from './bnr.js';
import { type ContentFacts, contentFacts } from './content.js';
import type { Evidence, Learner } from './evaluate.js';
import * as policies from './policy.repository.js';
import type { PolicyRow } from './schema.js';
import { type PolicySpend, spendOfPolicies } from './spend.js';

/**
 * Everything the checks need for many learners at once (a batch of can-redeems or redemptions,
 * or one learner): a bounded number of statements whatever the number of learners, policies and
 * keys (the assignments of assigned policies one more, when there are any).
 * `spend: false` leaves out the spend figures (a redemption reads them under its locks).
 */
export async function evidenceOfLearners(
  ctx: AppContext,
  db: Executor,
  enterpriseCustomerUuid: string,
  candidates: PolicyRow[],
  learners: Learner[],
  contentKeys: string[],
  options: { spend?: boolean } = {},
): Promise<Map<number, Evidence>> {
  const withSpend = options.spend ?? true;
  const ids = [...new Set(learners.map((l) => l.lmsUserId))];
  const unproven = learners.filter((l) => !l.membershipProven).map((l) => l.lmsUserId);
  const policyUuids = candidates.map((p) => p.uuid);
  const keys = [...new Set(contentKeys)];
  const [members, groups, policyGroups, contains, facts, records, spend, totals] = await Promise.all([
    unproven.length ? activeMembersAmong(db, enterpriseCustomerUuid, unproven) : new Set<number>(),
    groupUuidsOfLearners(db, enterpriseCustomerUuid, ids),
    policies.groupsOf(db, policyUuids),
    catalogsContain(db, [...new Set(candidates.map((p) => p.catalog_uuid))], keys),
    contentFacts(ctx, db, keys),
    getLearners(db, ids),
    withSpend ? spendOfPolicies(ctx, db, candidates) : new Map<string, PolicySpend>(),
    withSpend ? learnersSpendByPolicy(db, policyUuids, ids) : new Map<number, Map<string, SpendTotals>>(),
  ]);
  const assigned = candidates.filter((p) => usesAssignments(p) && p.assignment_configuration_uuid);
  const assignmentsById = await assignmentsOf(db, assigned, ids, records, keys, facts);
  const now = ctx.clock.now();
  return new Map(
    learners.map((l) => [
      l.lmsUserId,
      {
        now,
        isMember: l.membershipProven || members.has(l.lmsUserId),
        learnerGroups: new Set(groups.get(l.lmsUserId) ?? []),
        policyGroups,
        contains,
        facts,
        spend,
        learnerTotals: totals.get(l.lmsUserId) ?? new Map(),
        learnerEmail: records.get(l.lmsUserId)?.email ?? null,
        assignments: assignmentsById.get(l.lmsUserId) ?? new Map(),
      },
    ]),
  );
}

/**
 * Every learner's assignments for every key in every assigned policy: one statement (none without
 * such policies). Result: lms user id → policy uuid → content key → assignment.
 */
async function assignmentsOf(
  db: Executor,
  assigned: PolicyRow[],
  ids: number[],
  records: Map<number, { email: string | null }>,
  keys: string[],
  facts: Map<string, ContentFacts | null>,
): Promise<Map<number, Evidence['assignments']>> {
  if (assigned.length === 0) return new Map();
  const found = await assignmentsForContents(db, {
    configurationUuids: assigned.map((p) => p.assignment_configuration_uuid as string),
    learners: ids.map((id) => ({ lmsUserId: id, learnerEmail: records.get(id)?.email ?? null })),
    contents: keys.map((key) => {
      const f = facts.get(key);
      return { contentKey: key, parentContentKey: f && f.runKey === key ? f.courseKey : null };
    }),
  });
  return new Map(
    ids.map((id) => {
      const mine = found.get(id);
      const byPolicy: Evidence['assignments'] = new Map();
      for (const p of assigned) {
        byPolicy.set(
          p.uuid,
          mine?.get(p.assignment_configuration_uuid as string) ??
            new Map<string, AssignmentRow | undefined>(),
        );
      }
      return [id, byPolicy];
    }),
  );
}

/** The evidence for one learner. */
export async function gatherEvidence(
  ctx: AppContext,
  db: Executor,
  enterpriseCustomerUuid: string,
  candidates: PolicyRow[],
  learner: Learner,
  contentKeys: string[],
  options: { spend?: boolean } = {},
): Promise<Evidence> {
  const all = await evidenceOfLearners(
    ctx,
    db,
    enterpriseCustomerUuid,
    candidates,
    [learner],
    contentKeys,
    options,
  );
  const mine = all.get(learner.lmsUserId);
  if (!mine) throw new Error(`no evidence for learner ${learner.lmsUserId}`);
  return mine;
}
