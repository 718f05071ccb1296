import type { AppContext } from '../../context.js';
import type { Trx } from '../../database.js';
import type { CommerceFacts } from '../catalog/index.js';
import {
  afterEntry,
  type LedgerRow,
  type PlannedEntry,
  planCommittedSpend,
  type TransactionWithReversal,
  transactionsOfLearners,
  writeEntries,
} from '../ledger/index.js';
import * as enrollments from './enrollment.repository.js';
import type { RedeemInput, Redemption } from './redeem.js';
import { planRedemption, redeemableRun } from './redemption-plan.js';
import type { EnrollmentRow, SubsidyRow } from './schema.js';

/** One redemption's place in a batch: a spend planned in it, or a live one the learner holds. */
export type BatchHandle =
  | { kind: 'planned'; index: number; created: boolean; amount: number }
  | { kind: 'existing'; transaction: TransactionWithReversal };

const pairKey = (lmsUserId: number, contentKey: string) => `${lmsUserId}\u0000${contentKey}`;

/**
 * Redemptions of one subsidy decided one after another against running balances and written
 * together, under the ledger row lock the caller holds (and, before it, the policy lock): the
 * rules are planRedemption's and planEntry's, the same as for one redemption, so a batch decides
 * exactly what the same redemptions made in turn would. Nothing is written until `write`.
 */
export class RedemptionBatch {
  private ledger: LedgerRow;
  private readonly planned: { entry: PlannedEntry; enrollment: Omit<EnrollmentRow, 'transaction_uuid'> }[] =
    [];
  /** learner + run → index into `planned`, so that a repeat within the batch gets the first one back. */
  private readonly plannedByPair = new Map<string, number>();
  private written: {
    transactions: TransactionWithReversal[];
    enrollments: Map<string, EnrollmentRow>;
  } | null = null;

  private constructor(
    private readonly ctx: AppContext,
    readonly subsidy: SubsidyRow,
    lockedLedger: LedgerRow,
    private readonly history: TransactionWithReversal[],
  ) {
    this.ledger = lockedLedger;
  }

  /**
   * Opens a batch over the ledger row the caller has locked, reading the history of every learner
   * and content key the batch may touch (run keys and the keys asked for) in one go.
   */
  static async open(
    ctx: AppContext,
    trx: Trx,
    subsidy: SubsidyRow,
    lockedLedger: LedgerRow,
    wanted: { lmsUserId: number; contentKeys: string[] }[],
  ): Promise<RedemptionBatch> {
    const history = await transactionsOfLearners(
      trx,
      [subsidy.ledger_uuid],
      wanted.map((w) => w.lmsUserId),
      wanted.flatMap((w) => w.contentKeys),
    );
    return new RedemptionBatch(ctx, subsidy, lockedLedger, history);
  }

  /** The subsidy's balance with what the batch has planned so far taken off. */
  get balance(): number {
    return this.ledger.balance_cents;
  }

  get totalDeposits(): number {
    return this.ledger.total_deposits_cents;
  }

  /** A redemption planned earlier in this batch, handed back again (not a second charge). */
  private earlier(index: number): BatchHandle {
    const quantity = this.planned[index]?.entry.row.quantity ?? 0;
    return { kind: 'planned', index, created: false, amount: -quantity };
  }

  private historyOf(lmsUserId: number, contentKey: string): TransactionWithReversal[] {
    return this.history.filter((t) => t.lms_user_id === lmsUserId && t.content_key === contentKey);
  }

  /**
   * The learner's live redemption of the content through the policy, if they hold one (see
   * findLiveRedemption) — in the ledger already, or planned earlier in this batch.
   */
  held(lmsUserId: number, contentKey: string, policyUuid: string): BatchHandle | null {
    const index = this.plannedByPair.get(pairKey(lmsUserId, contentKey));
    if (index !== undefined && this.planned[index]?.entry.row.subsidy_access_policy_uuid === policyUuid) {
      return this.earlier(index);
    }
    const live = this.historyOf(lmsUserId, contentKey).find(
      (t) => t.state === 'committed' && t.reversal === null && t.subsidy_access_policy_uuid === policyUuid,
    );
    return live ? { kind: 'existing', transaction: live } : null;
  }

  /**
   * Plans one redemption (throws the refusal of one that cannot be made; the batch is unchanged
   * by it). Its input carries no idempotency key: the key is derived from the learner's history.
   */
  redeem(
    input: RedeemInput,
    facts: CommerceFacts | null | undefined,
    learnerEmail: string | null,
  ): BatchHandle {
    const run = redeemableRun(this.ctx, this.subsidy, input.contentKey, facts);
    const pair = pairKey(input.lmsUserId, run.runKey);
    const earlier = this.plannedByPair.get(pair);
    if (earlier !== undefined) return this.earlier(earlier);
    const plan = planRedemption(
      this.ctx,
      { ...input, idempotencyKey: null },
      {
        ...run,
        subsidy: this.subsidy,
        learnerEmail,
        history: this.historyOf(input.lmsUserId, run.runKey),
      },
    );
    if (plan.kind === 'existing') return plan;
    const entry = planCommittedSpend(this.ctx, this.ledger, plan.spend);
    this.ledger = afterEntry(this.ledger, entry);
    this.planned.push({ entry, enrollment: plan.enrollment });
    const index = this.planned.length - 1;
    this.plannedByPair.set(pair, index);
    return { kind: 'planned', index, created: true, amount: plan.spend.amount };
  }

  /** Writes every planned redemption: one statement per table, whatever the size of the batch. */
  async write(trx: Trx): Promise<void> {
    const now = this.ctx.clock.now();
    const rows = await writeEntries(
      trx,
      this.subsidy.ledger_uuid,
      this.planned.map((p) => p.entry),
      now,
    );
    // A spend written pending waits for the LMS: its enrollment is recorded when the LMS has made it.
    const inserted = await enrollments.insertMany(
      trx,
      this.planned.flatMap((p, i) =>
        p.entry.row.state === 'pending'
          ? []
          : [{ ...p.enrollment, transaction_uuid: rows[i]?.uuid as string }],
      ),
    );
    this.written = {
      // A transaction written in this batch has no reversal yet.
      transactions: rows.map((t) => ({ ...t, reversal: null })),
      enrollments: new Map(inserted.map((e) => [e.transaction_uuid, e])),
    };
  }

  /**
   * The redemptions the batch handed out, once written: the enrollments of live redemptions the
   * learners already held are read in one statement.
   */
  async outcomes(trx: Trx, handles: BatchHandle[]): Promise<Redemption[]> {
    const written = this.written;
    if (!written) throw new Error('RedemptionBatch.outcomes before write');
    const held = handles.flatMap((h) => (h.kind === 'existing' ? [h.transaction.uuid] : []));
    const heldEnrollments = await enrollments.getByTransactions(trx, held);
    return handles.map((h) => {
      const transaction = h.kind === 'existing' ? h.transaction : written.transactions[h.index];
      if (!transaction) throw new Error('RedemptionBatch: a handle of another batch');
      const enrollment =
        (h.kind === 'existing' ? heldEnrollments : written.enrollments).get(transaction.uuid) ?? null;
      return { subsidy: this.subsidy, transaction, enrollment, created: h.kind === 'planned' && h.created };
    });
  }
}
