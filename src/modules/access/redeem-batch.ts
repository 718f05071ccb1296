import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { DomainError } from '../../shared/errors.js';
import { allocatedCentsOfConfigurations } from '../assignments/index.js';
import { lockLedger, type SpendTotals, spendByPolicyAndLearners } from '../ledger/index.js';
import { type BatchHandle, type Redemption, RedemptionBatch, type SubsidyRow } from '../subsidy/index.js';
import * as attempts from './attempts.repository.js';
import { usesAssignments } from './bnr.js';
import { adminContacts } from './can-redeem.js';
import { isLateRedemptionAllowed, judge } from './evaluate.js';
import * as policies from './policy.repository.js';
import type { AdminContact } from './reasons.js';
import { REASONS } from './reasons.js';
import { type LoadedRedemption, loadRedemptions, type RedeemAsk } from './redemption-load.js';
import { attemptRow, failureAttempt } from './redemption-records.js';
import { refusal } from './refusal.js';
import type { AttemptRow, PolicyRow } from './schema.js';
import { policySpend } from './spend.js';

/**
 * How one redemption of a batch ended: its redemption, or the refusal or error to answer with;
 * `alone` when it must take the single path (the policy uses assignments).
 */
export type BatchOutcome =
  | { redemption: Redemption; policy: PolicyRow }
  | { error: DomainError }
  | { alone: true };

/** Whether a loaded redemption may be judged in a batch (the load step sends the others alone). */
function isBatchable(loaded: LoadedRedemption): loaded is LoadedRedemption & { subsidy: SubsidyRow } {
  return !loaded.request.forced && !usesAssignments(loaded.policy) && loaded.subsidy !== null;
}

const zero: SpendTotals = { spentCents: 0, redemptions: 0 };

/**
 * Redemptions through one policy in one database transaction (group commit). They are loaded
 * together (a few statements for all, before any lock; an ask the actor may not make is refused
 * on its own); then the policy row and its subsidy's ledger row are locked once (policy → ledger,
 * the one lock order), the totals of every learner in the batch and their histories are read in
 * one statement each, and each redemption is judged in turn by the same rules as one alone
 * (`judge`, planRedemption) against running totals — so each is decided exactly as if the
 * redemptions had come one after another — and everything is written in one statement per table.
 * A refusal is one redemption's outcome and leaves the others alone; anything else thrown fails
 * the whole batch, and its callers go the single path (redeem.ts).
 *
 * Nothing here writes a table with change history (policies, subsidies, assignments): the batch
 * runs outside any caller's audit scope.
 */
export async function redeemBatch(
  ctx: AppContext,
  policyUuid: string,
  asks: RedeemAsk[],
  /** Called once the lock-free reads are done: the next batch may load while this one decides. */
  loaded: () => void = () => {},
): Promise<BatchOutcome[]> {
  const all = await loadRedemptions(ctx, policyUuid, asks);
  loaded();
  if (all === 'alone') return asks.map(() => ({ alone: true }));
  const ready = all.filter((l): l is LoadedRedemption => !(l instanceof DomainError));
  const decided = ready.length ? await decideAndWrite(ctx, ready) : [];
  let next = 0;
  return all.map((l) => (l instanceof DomainError ? { error: l } : (decided[next++] as BatchOutcome)));
}

/** The transaction of a batch: lock, read, judge each in turn, write. */
async function decideAndWrite(ctx: AppContext, batch: LoadedRedemption[]): Promise<BatchOutcome[]> {
  const first = batch[0];
  if (!first?.subsidy || !batch.every(isBatchable))
    throw new Error('redeemBatch: a redemption that cannot be batched');
  const subsidy = first.subsidy;
  return ctx.db.transaction(async (trx) => {
    const policy = await policies.lockPolicy(trx, first.policy.uuid);
    // Switched to browse & request since the load: every redemption takes the single path.
    if (usesAssignments(policy)) throw new Error('redeemBatch: the policy now uses assignments');
    const ledger = await lockLedger(trx, subsidy.ledger_uuid);
    if (!ledger) throw new Error(`redeemBatch: no ledger ${subsidy.ledger_uuid}`);
    const totals = await spendByPolicyAndLearners(
      trx,
      policy.uuid,
      batch.map((l) => l.learner.lmsUserId),
    );
    const configuration = policy.assignment_configuration_uuid;
    const allocated = configuration
      ? ((await allocatedCentsOfConfigurations(trx, [configuration])).get(configuration) ?? 0)
      : 0;
    const redemptions = await RedemptionBatch.open(
      ctx,
      trx,
      subsidy,
      ledger,
      batch.map((l) => ({
        lmsUserId: l.learner.lmsUserId,
        contentKeys: [
          l.request.contentKey,
          l.before.facts.get(l.request.contentKey)?.runKey ?? l.request.contentKey,
        ],
      })),
    );
    const judged = await judgeInTurn(ctx, trx, policy, redemptions, batch, { ...totals, allocated });
    await redemptions.write(trx);
    const handles = judged.flatMap((j) => ('handle' in j ? [j.handle] : []));
    const made = await redemptions.outcomes(trx, handles);
    const rows: AttemptRow[] = [];
    const outcomes: BatchOutcome[] = judged.map((j, i) => {
      const loaded = batch[i] as LoadedRedemption;
      if ('error' in j) {
        rows.push(failureAttempt(ctx, loaded, j.error));
        return { error: j.error };
      }
      const redemption = made[handles.indexOf(j.handle)] as Redemption;
      rows.push(
        attemptRow(ctx, loaded, {
          outcome: redemption.created ? 'redeemed' : 'existing',
          transactionUuid: redemption.transaction.uuid,
        }),
      );
      return { redemption, policy: loaded.policy };
    });
    await attempts.insertAttempts(trx, rows);
    return outcomes;
  });
}

/** Each redemption of the batch judged in order, the policy's and learners' totals running on. */
async function judgeInTurn(
  ctx: AppContext,
  trx: Trx,
  policy: PolicyRow,
  redemptions: RedemptionBatch,
  batch: LoadedRedemption[],
  read: { policy: SpendTotals; learners: Map<number, SpendTotals>; allocated: number },
): Promise<({ handle: BatchHandle } | { error: DomainError })[]> {
  let policyTotals = read.policy;
  const learnerTotals = new Map(read.learners);
  let admins: AdminContact[] | null = null;
  const refuse = async (reason: string) => {
    admins ??= await adminContacts(trx, policy.enterprise_customer_uuid);
    return refusal(admins, policy, reason);
  };
  const judged: ({ handle: BatchHandle } | { error: DomainError })[] = [];
  for (const loaded of batch) {
    const { request, learner, before } = loaded;
    try {
      const mine = learnerTotals.get(learner.lmsUserId) ?? zero;
      const spend = policySpend(policy, {
        row: redemptions.subsidy,
        balance: redemptions.balance,
        deposits: redemptions.totalDeposits,
        totals: policyTotals,
        allocated: read.allocated,
        now: ctx.clock.now(),
      });
      const verdict = judge(policy, request.contentKey, {
        ...before,
        spend: new Map([[policy.uuid, spend]]),
        learnerTotals: new Map([[policy.uuid, mine]]),
        assignments: new Map(),
      });
      if (!verdict.redeemable) {
        // A learner who already holds the content through the policy gets it back.
        const held = redemptions.held(learner.lmsUserId, request.contentKey, policy.uuid);
        if (!held) throw await refuse(verdict.reason ?? 'unknown');
        judged.push({ handle: held });
        continue;
      }
      const late = isLateRedemptionAllowed(policy, before.now);
      const handle = planOne(ctx, redemptions, loaded, late);
      if (handle.kind === 'planned' && handle.created) {
        policyTotals = plus(policyTotals, handle.amount);
        learnerTotals.set(learner.lmsUserId, plus(mine, handle.amount));
      }
      judged.push({ handle });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // Another policy spent the subsidy between the check and the ledger lock.
      judged.push({
        error: err.errorCode === 'ledger_balance_exceeded' ? await refuse(REASONS.notEnoughValue) : err,
      });
    }
  }
  return judged;
}

function planOne(
  ctx: AppContext,
  redemptions: RedemptionBatch,
  loaded: LoadedRedemption,
  late: boolean,
): BatchHandle {
  const { request, learner, before, policy } = loaded;
  return redemptions.redeem(
    {
      subsidyUuid: policy.subsidy_uuid,
      lmsUserId: learner.lmsUserId,
      contentKey: request.contentKey,
      policyUuid: policy.uuid,
      requestedPriceCents: null,
      metadata: request.metadata,
      allowLateEnrollment: late,
      throughLms: Boolean(ctx.lms),
    },
    before.facts.get(request.contentKey),
    before.learnerEmail,
  );
}

const plus = (t: SpendTotals, cents: number): SpendTotals => ({
  spentCents: t.spentCents + cents,
  redemptions: t.redemptions + 1,
});
