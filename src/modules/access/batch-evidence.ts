import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/db.js';
import {
  activeMembersAmong,
  catalogsContain,
  getLearners,
  groupUuidsOfLearners,
} from '../enterprise/index.js';
import { contentFacts } from './content.js';
import type { Evidence, Learner } from './evaluate.js';
import * as policies from './policy.repository.js';
import type { PolicyRow } from './schema.js';

/**
 * gatherEvidence for many learners of one policy at once (a batch of redemptions), without the
 * figures a redemption reads under its locks (spend, totals) and without assignments (a batch
 * holds no assignment policy): six statements, whatever the number of learners and keys.
 */
export async function evidenceOfLearners(
  ctx: AppContext,
  db: Executor,
  policy: PolicyRow,
  learners: Learner[],
  contentKeys: string[],
): Promise<Map<number, Evidence>> {
  const customer = policy.enterprise_customer_uuid;
  const ids = learners.map((l) => l.lmsUserId);
  const unproven = learners.filter((l) => !l.membershipProven).map((l) => l.lmsUserId);
  const keys = [...new Set(contentKeys)];
  const [members, groups, policyGroups, contains, facts, records] = await Promise.all([
    unproven.length ? activeMembersAmong(db, customer, unproven) : new Set<number>(),
    groupUuidsOfLearners(db, customer, ids),
    policies.groupsOf(db, [policy.uuid]),
    catalogsContain(db, [policy.catalog_uuid], keys),
    contentFacts(ctx, keys, db),
    getLearners(db, ids),
  ]);
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
        spend: new Map(),
        learnerTotals: new Map(),
        learnerEmail: records.get(l.lmsUserId)?.email ?? null,
        assignments: new Map(),
      },
    ]),
  );
}
