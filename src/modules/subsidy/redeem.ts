import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import { NotFound } from '../../shared/errors.js';
import { commerceFacts } from '../catalog/index.js';
import { getLearner } from '../enterprise/index.js';
import {
  commitSpend,
  getTransaction,
  learnerContentTransactions,
  lockLedger,
  type TransactionWithReversal,
} from '../ledger/index.js';
import * as enrollments from './enrollment.repository.js';
import { planRedemption, type RedeemInput, redeemableRun } from './redemption-plan.js';

export type { RedeemInput } from './redemption-plan.js';

import type { EnrollmentRow, SubsidyRow } from './schema.js';
import { subsidyNotFound } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

export interface Redemption {
  subsidy: SubsidyRow;
  transaction: TransactionWithReversal;
  enrollment: EnrollmentRow | null;
  created: boolean;
}

async function existing(trx: Trx, subsidy: SubsidyRow, t: TransactionWithReversal): Promise<Redemption> {
  return {
    subsidy,
    transaction: t,
    enrollment: (await enrollments.getByTransaction(trx, t.uuid)) ?? null,
    created: false,
  };
}

/**
 * The learner's live (committed, not refunded) redemption of a content key from a subsidy, or null.
 * For callers that must answer a repeated redemption with the first one before any other check.
 */
export async function findLiveRedemption(
  trx: Trx,
  input: { subsidyUuid: string; lmsUserId: number; contentKey: string; policyUuid?: string },
): Promise<Redemption | null> {
  const subsidy = await subsidies.getById(trx, input.subsidyUuid);
  if (!subsidy) return null;
  const held = (
    await learnerContentTransactions(trx, subsidy.ledger_uuid, input.lmsUserId, input.contentKey)
  ).find(
    (t) =>
      t.state === 'committed' &&
      t.reversal === null &&
      (input.policyUuid === undefined || t.subsidy_access_policy_uuid === input.policyUuid),
  );
  return held ? existing(trx, subsidy, held) : null;
}

/**
 * Redeems content for a learner inside the caller's transaction, in one pass: lock the ledger row
 * once, check, then write the spend already committed to its enrollment, and the enrollment. The
 * caller (the access module) may hold its own locks first; this takes the ledger row lock, so
 * redemptions of one subsidy are serialized and cannot overspend it. The spend skips the created
 * and pending states: inside one database transaction nobody could ever see them, and each hop
 * cost a lock and a write of the hot ledger row. A failure anywhere leaves no transaction and no
 * enrollment behind.
 *
 * A learner who already holds a committed, non-reversed redemption of the content gets it back
 * (no second charge), whatever key they send.
 */
export async function redeemInTransaction(
  ctx: AppContext,
  trx: Trx,
  input: RedeemInput,
): Promise<Redemption> {
  // The caller may have read the subsidy row before its locks: what is checked here (its dates)
  // is not what the locks guard; the balance is, and is read from the locked ledger row.
  const given = input.prefetched?.subsidy;
  const subsidy = given?.uuid === input.subsidyUuid ? given : await subsidies.getById(trx, input.subsidyUuid);
  if (!subsidy) throw subsidyNotFound(input.subsidyUuid);
  // Everything that only reads the catalog happens before the ledger lock, so that the lock is
  // held for the few statements that decide and write, not for catalog lookups.
  const { runKey, facts } = redeemableRun(
    ctx,
    subsidy,
    input.contentKey,
    input.prefetched
      ? input.prefetched.facts
      : (await commerceFacts(ctx, trx, [input.contentKey])).get(input.contentKey),
  );
  const learnerEmail = input.prefetched
    ? input.prefetched.learnerEmail
    : ((await getLearner(trx, input.lmsUserId))?.email ?? null);

  const held = input.prefetched?.lockedLedger;
  const ledger = held?.uuid === subsidy.ledger_uuid ? held : await lockLedger(trx, subsidy.ledger_uuid);
  if (!ledger) throw subsidyNotFound(input.subsidyUuid);
  const history = await learnerContentTransactions(trx, subsidy.ledger_uuid, input.lmsUserId, runKey);
  const plan = planRedemption(ctx, input, {
    subsidy,
    facts,
    runKey,
    learnerEmail,
    history,
  });
  if (plan.kind === 'existing') return existing(trx, subsidy, plan.transaction);
  const spent = await commitSpend(ctx, trx, {
    ...plan.spend,
    lockedLedger: ledger,
    // A derived key names the learner's history of this run, which is all in `history`: a
    // transaction carrying it would be one of those and so change the key. Nothing to look up.
    freshKey: input.idempotencyKey == null,
  });
  if (!spent.created) {
    // A retried key whose transaction is no longer live (failed or reversed): hand it back as it is.
    const found = await getTransaction(trx, spent.transaction.uuid);
    if (!found) throw new NotFound();
    return existing(trx, subsidy, found);
  }
  const tx = spent.transaction;
  // Through the LMS, the enrollment is recorded once the LMS has made it (lms-fulfillment.ts).
  if (plan.spend.pending)
    return { subsidy, transaction: { ...tx, reversal: null }, enrollment: null, created: true };
  const enrollment = await enrollments.insert(trx, { ...plan.enrollment, transaction_uuid: tx.uuid });
  // A transaction written in this statement has no reversal yet.
  return { subsidy, transaction: { ...tx, reversal: null }, enrollment, created: true };
}
