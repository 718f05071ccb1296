import { sql } from 'kysely';
import type { Executor } from '../../database.js';

/*
 * The spend the ledger keeps per policy reference (ledger_policy_totals) and per reference and
 * learner (ledger_policy_learner_totals): the `subsidy_access_policy_uuid` a spend carries, summed.
 * Other modules read it through spend-by-policy.ts.
 */

export interface SpendTotals {
  spentCents: number;
  redemptions: number;
}

const none: SpendTotals = { spentCents: 0, redemptions: 0 };

/**
 * Moves a policy's (and its learner's) spend totals by `spent` cents and `count` redemptions.
 * Called only by ledger writes, which hold the ledger row lock, so the upserts never race.
 */
export async function addSpend(
  db: Executor,
  key: { ledgerUuid: string; policyUuid: string; lmsUserId: number | null },
  delta: { spent: number; count: number },
  now: Date,
): Promise<void> {
  if (delta.count < 0) {
    // Taking a spend away: its rows exist (PostgreSQL checks an upsert's proposed row, so a
    // negative insert would trip the non-negative checks even though it would only update).
    await db
      .updateTable('ledger_policy_totals')
      .set((eb) => ({
        spent_cents: eb('spent_cents', '+', delta.spent),
        redemptions: eb('redemptions', '+', delta.count),
        modified: now,
      }))
      .where('ledger_uuid', '=', key.ledgerUuid)
      .where('policy_uuid', '=', key.policyUuid)
      .execute();
    if (key.lmsUserId === null) return;
    await db
      .updateTable('ledger_policy_learner_totals')
      .set((eb) => ({
        spent_cents: eb('spent_cents', '+', delta.spent),
        redemptions: eb('redemptions', '+', delta.count),
        modified: now,
      }))
      .where('ledger_uuid', '=', key.ledgerUuid)
      .where('policy_uuid', '=', key.policyUuid)
      .where('lms_user_id', '=', key.lmsUserId)
      .execute();
    return;
  }
  await addSpends(db, [{ ...key, spent: delta.spent, count: delta.count }], now);
}

export interface SpendDelta {
  ledgerUuid: string;
  policyUuid: string;
  lmsUserId: number | null;
  spent: number;
  /** Redemptions added; one when left out. */
  count?: number;
}

/**
 * Adds live spends to their policies' and learners' totals: one upsert per table for any number
 * of spends (a batch of redemptions), summed per row first because one statement cannot update
 * the same row twice. Called only under the ledger row lock, so the upserts never race.
 */
export async function addSpends(db: Executor, spends: SpendDelta[], now: Date): Promise<void> {
  const policies = new Map<
    string,
    { ledgerUuid: string; policyUuid: string; spent: number; count: number }
  >();
  const learners = new Map<
    string,
    { ledgerUuid: string; policyUuid: string; lmsUserId: number; spent: number; count: number }
  >();
  for (const s of spends) {
    const count = s.count ?? 1;
    const p = policies.get(`${s.ledgerUuid}:${s.policyUuid}`) ?? { ...s, spent: 0, count: 0 };
    policies.set(`${s.ledgerUuid}:${s.policyUuid}`, {
      ...p,
      spent: p.spent + s.spent,
      count: p.count + count,
    });
    if (s.lmsUserId === null) continue;
    const key = `${s.ledgerUuid}:${s.policyUuid}:${s.lmsUserId}`;
    const l = learners.get(key) ?? { ...s, lmsUserId: s.lmsUserId, spent: 0, count: 0 };
    learners.set(key, { ...l, spent: l.spent + s.spent, count: l.count + count });
  }
  if (policies.size === 0) return;
  await db
    .insertInto('ledger_policy_totals')
    .values(
      [...policies.values()].map((p) => ({
        ledger_uuid: p.ledgerUuid,
        policy_uuid: p.policyUuid,
        spent_cents: p.spent,
        redemptions: p.count,
        modified: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['ledger_uuid', 'policy_uuid']).doUpdateSet((eb) => ({
        spent_cents: eb('ledger_policy_totals.spent_cents', '+', eb.ref('excluded.spent_cents')),
        redemptions: eb('ledger_policy_totals.redemptions', '+', eb.ref('excluded.redemptions')),
        modified: now,
      })),
    )
    .execute();
  if (learners.size === 0) return;
  await db
    .insertInto('ledger_policy_learner_totals')
    .values(
      [...learners.values()].map((l) => ({
        ledger_uuid: l.ledgerUuid,
        policy_uuid: l.policyUuid,
        lms_user_id: l.lmsUserId,
        spent_cents: l.spent,
        redemptions: l.count,
        modified: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['ledger_uuid', 'policy_uuid', 'lms_user_id']).doUpdateSet((eb) => ({
        spent_cents: eb('ledger_policy_learner_totals.spent_cents', '+', eb.ref('excluded.spent_cents')),
        redemptions: eb('ledger_policy_learner_totals.redemptions', '+', eb.ref('excluded.redemptions')),
        modified: now,
      })),
    )
    .execute();
}

export async function policyTotals(
  db: Executor,
  ledgerUuid: string,
  policyUuid: string,
): Promise<SpendTotals> {
  const r = await db
    .selectFrom('ledger_policy_totals')
    .select(['spent_cents', 'redemptions'])
    .where('ledger_uuid', '=', ledgerUuid)
    .where('policy_uuid', '=', policyUuid)
    .executeTakeFirst();
  return r ? { spentCents: r.spent_cents, redemptions: r.redemptions } : none;
}

/** Totals of many policies at once (policy lists, credits_available): one query. */
export async function totalsOfPolicies(
  db: Executor,
  policyUuids: string[],
): Promise<Map<string, SpendTotals>> {
  if (policyUuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('ledger_policy_totals')
    .select(['policy_uuid', 'spent_cents', 'redemptions'])
    .where('policy_uuid', 'in', policyUuids)
    .execute();
  const out = new Map<string, SpendTotals>();
  for (const r of rows) {
    const prev = out.get(r.policy_uuid) ?? none;
    out.set(r.policy_uuid, {
      spentCents: prev.spentCents + r.spent_cents,
      redemptions: prev.redemptions + r.redemptions,
    });
  }
  return out;
}

/**
 * A policy's totals and its learners' within it, in one statement (the redemption path's read:
 * one learner, or every learner of a batch).
 */
export async function policyAndLearnerTotals(
  db: Executor,
  policyUuid: string,
  lmsUserIds: number[],
): Promise<{ policy: SpendTotals; learners: Map<number, SpendTotals> }> {
  if (lmsUserIds.length === 0) throw new RangeError('policyAndLearnerTotals needs at least one learner');
  const rows = await db
    .selectFrom('ledger_policy_totals')
    .select([
      sql<string>`'policy'`.as('scope'),
      sql<number | null>`null::bigint`.as('lms_user_id'),
      'spent_cents',
      'redemptions',
    ])
    .where('policy_uuid', '=', policyUuid)
    .unionAll((eb) =>
      eb
        .selectFrom('ledger_policy_learner_totals')
        .select([sql<string>`'learner'`.as('scope'), 'lms_user_id', 'spent_cents', 'redemptions'])
        .where('policy_uuid', '=', policyUuid)
        .where('lms_user_id', 'in', [...new Set(lmsUserIds)]),
    )
    .execute();
  let policy = none;
  const learners = new Map<number, SpendTotals>();
  const plus = (t: SpendTotals, r: { spent_cents: number; redemptions: number }) => ({
    spentCents: t.spentCents + r.spent_cents,
    redemptions: t.redemptions + r.redemptions,
  });
  for (const r of rows) {
    if (r.scope === 'policy') policy = plus(policy, r);
    else if (r.lms_user_id !== null)
      learners.set(r.lms_user_id, plus(learners.get(r.lms_user_id) ?? none, r));
  }
  return { policy, learners };
}

/** Many learners' totals in many policies at once: one query. Learner → policy → totals. */
export async function learnersTotals(
  db: Executor,
  policyUuids: string[],
  lmsUserIds: number[],
): Promise<Map<number, Map<string, SpendTotals>>> {
  const out = new Map<number, Map<string, SpendTotals>>();
  if (policyUuids.length === 0 || lmsUserIds.length === 0) return out;
  const rows = await db
    .selectFrom('ledger_policy_learner_totals')
    .select(['policy_uuid', 'lms_user_id', 'spent_cents', 'redemptions'])
    .where('policy_uuid', 'in', policyUuids)
    .where('lms_user_id', 'in', [...new Set(lmsUserIds)])
    .execute();
  for (const r of rows) {
    const mine = out.get(r.lms_user_id) ?? new Map<string, SpendTotals>();
    const prev = mine.get(r.policy_uuid) ?? none;
    mine.set(r.policy_uuid, {
      spentCents: prev.spentCents + r.spent_cents,
      redemptions: prev.redemptions + r.redemptions,
    });
    out.set(r.lms_user_id, mine);
  }
  return out;
}

/**
 * The totals recomputed from the journal, keyed `policy` and `policy:learner`, for ledger verify;
 * the stored totals in the same shape. Zero totals are left out of both.
 */
export async function journalPolicyTotals(
  db: Executor,
  ledgerUuid: string,
): Promise<Map<string, SpendTotals>> {
  const rows = await db
    .selectFrom('ledger_transactions as t')
    .leftJoin('ledger_reversals as r', 'r.transaction_uuid', 't.uuid')
    .where('t.ledger_uuid', '=', ledgerUuid)
    .where('t.kind', '=', 'spend')
    .where('t.state', '<>', 'failed')
    .where('r.uuid', 'is', null)
    .where('t.subsidy_access_policy_uuid', 'is not', null)
    .select((eb) => [
      't.subsidy_access_policy_uuid as policy',
      't.lms_user_id as learner',
      eb.fn.sum<number>(eb.neg(eb.ref('t.quantity'))).as('spent'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['t.subsidy_access_policy_uuid', 't.lms_user_id'])
    .execute();
  const out = new Map<string, SpendTotals>();
  const add = (key: string, spent: number, n: number) => {
    const prev = out.get(key) ?? none;
    out.set(key, { spentCents: prev.spentCents + spent, redemptions: prev.redemptions + n });
  };
  for (const r of rows) {
    add(`${r.policy}`, Number(r.spent), Number(r.n));
    if (r.learner !== null) add(`${r.policy}:${r.learner}`, Number(r.spent), Number(r.n));
  }
  return out;
}

export async function storedPolicyTotals(
  db: Executor,
  ledgerUuid: string,
): Promise<Map<string, SpendTotals>> {
  const [policies, learners] = await Promise.all([
    db.selectFrom('ledger_policy_totals').selectAll().where('ledger_uuid', '=', ledgerUuid).execute(),
    db.selectFrom('ledger_policy_learner_totals').selectAll().where('ledger_uuid', '=', ledgerUuid).execute(),
  ]);
  const out = new Map<string, SpendTotals>();
  for (const p of policies) out.set(p.policy_uuid, { spentCents: p.spent_cents, redemptions: p.redemptions });
  for (const l of learners) {
    out.set(`${l.policy_uuid}:${l.lms_user_id}`, { spentCents: l.spent_cents, redemptions: l.redemptions });
  }
  for (const [k, v] of out) if (v.spentCents === 0 && v.redemptions === 0) out.delete(k);
  return out;
}
