import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { NotFound } from '../../shared/errors.js';
import { centsToDollars } from '../../shared/money.js';
import type { Principal } from '../../shared/principal.js';
import { getEnterpriseCustomer, listAdminContacts } from '../enterprise/index.js';
import { type TransactionWithReversal, transactionsOfLearners } from '../ledger/index.js';
import { type TransactionLinks, transactionView } from '../subsidy/index.js';
import { evidenceOfLearners } from './batch-evidence.js';
import { Batcher, type BatcherStats } from './batcher.js';
import { byPriority, type Evidence, judge, type Learner } from './evaluate.js';
import { learnerFor } from './learner.js';
import * as policies from './policy.repository.js';
import { type PolicyModelView, policyModelView } from './policy-model.view.js';
import { type AdminContact, type ReasonObject, reasonObjects } from './reasons.js';
import type { PolicyRow } from './schema.js';

export interface ListPrice {
  usd: number;
  usd_cents: number;
}

export interface CanRedeemItem {
  content_key: string;
  list_price: ListPrice | null;
  redemptions: Array<ReturnType<typeof transactionView> & { policy_redemption_status_url: string }>;
  has_successful_redemption: boolean;
  redeemable_subsidy_access_policy: PolicyModelView | null;
  can_redeem: boolean;
  reasons: ReasonObject[];
  display_reason: ReasonObject | null;
}

export const listPrice = (cents: number | null): ListPrice | null =>
  cents === null ? null : { usd: centsToDollars(cents), usd_cents: cents };

/** The customer's contact: its contact email if it has one, else its admins. */
export async function adminContacts(db: Executor, enterpriseCustomerUuid: string): Promise<AdminContact[]> {
  const customer = await getEnterpriseCustomer(db, enterpriseCustomerUuid);
  if (customer?.contact_email) return [{ email: customer.contact_email, lms_user_id: null }];
  return listAdminContacts(db, enterpriseCustomerUuid);
}

/** What one can-redeem reads: shared by the can-redeems of a customer batched with it. */
interface CanRedeemRead {
  candidates: PolicyRow[];
  evidence: Evidence;
  /** The learner's spends of the batch's keys through the candidate policies. */
  history: TransactionWithReversal[];
  /** The customer's contacts, read once for the batch and only if some answer needs them. */
  admins: () => Promise<AdminContact[]>;
}

interface CanRedeemAsk {
  learner: Learner;
  contentKeys: string[];
}

/**
 * The reads of a batch of can-redeems of one customer: the policies, catalog, spend and every
 * learner's evidence and history in a bounded number of statements, whatever the number of
 * learners in the batch (batch-evidence.ts).
 */
async function readForBatch(
  ctx: AppContext,
  enterpriseCustomerUuid: string,
  asks: CanRedeemAsk[],
): Promise<(CanRedeemRead | NotFound)[]> {
  const db = ctx.db.kysely;
  const candidates = await policies.redeemableOfCustomer(db, enterpriseCustomerUuid);
  if (candidates.length === 0) {
    return asks.map(() => new NotFound('No active policies for this customer', 'no_active_policies'));
  }
  const keys = asks.flatMap((a) => a.contentKeys);
  const learners = asks.map((a) => a.learner);
  const evidence = await evidenceOfLearners(ctx, db, enterpriseCustomerUuid, candidates, learners, keys);
  const spend = evidence.values().next().value?.spend ?? new Map();
  const ledgers = [
    ...new Set([...spend.values()].flatMap((s) => (s.subsidy ? [s.subsidy.ledger_uuid] : []))),
  ];
  const policyUuids = new Set(candidates.map((p) => p.uuid));
  const history = (
    await transactionsOfLearners(
      db,
      ledgers,
      learners.map((l) => l.lmsUserId),
      keys,
      'spend',
    )
  ).filter((t) => t.subsidy_access_policy_uuid !== null && policyUuids.has(t.subsidy_access_policy_uuid));
  let contacts: Promise<AdminContact[]> | null = null;
  const admins = () => {
    contacts ??= adminContacts(db, enterpriseCustomerUuid);
    return contacts;
  };
  return asks.map(({ learner }) => {
    const mine = evidence.get(learner.lmsUserId);
    if (!mine) throw new Error(`no evidence for learner ${learner.lmsUserId}`);
    return {
      candidates,
      evidence: mine,
      history: history.filter((t) => t.lms_user_id === learner.lmsUserId),
      admins,
    };
  });
}

const reads = new WeakMap<AppContext, Batcher<CanRedeemAsk, CanRedeemRead | NotFound>>();

/** The process's batches of can-redeem reads, one line per customer. */
function readsOf(ctx: AppContext): Batcher<CanRedeemAsk, CanRedeemRead | NotFound> {
  let found = reads.get(ctx);
  if (!found) {
    found = new Batcher((customer, asks) => readForBatch(ctx, customer, asks), MAX_BATCH);
    reads.set(ctx, found);
  }
  return found;
}

/** How the process's can-redeems were batched so far (benchmarks and tests read it). */
export function canRedeemBatchStats(ctx: AppContext): BatcherStats {
  return { ...readsOf(ctx).stats };
}

/** The largest batch of can-redeems read together. */
const MAX_BATCH = 64;

/**
 * Whether the learner can redeem each content key, and through which policy: the first redeemable
 * policy in priority order wins; otherwise the reasons, grouped, the first one displayed. A key
 * the learner already holds (committed, not refunded) is not evaluated again. Can-redeems of one
 * customer that arrive together are read together (a batch starts only after its requests
 * arrived, so none is answered from a read older than itself).
 */
export async function canRedeem(
  ctx: AppContext,
  actor: Principal,
  input: {
    enterpriseCustomerUuid: string;
    contentKeys: string[];
    lmsUserId?: number;
    links: TransactionLinks;
  },
): Promise<CanRedeemItem[]> {
  const learner = learnerFor(actor, input.enterpriseCustomerUuid, input.lmsUserId);
  const turn = await readsOf(ctx).submit(input.enterpriseCustomerUuid, {
    learner,
    contentKeys: [...new Set(input.contentKeys)],
  });
  if ('retry' in turn) throw turn.retry;
  if (turn.value instanceof NotFound) throw turn.value;
  const { candidates, evidence, history, admins } = turn.value;
  const ordered = byPriority(candidates, evidence.spend);

  const items: CanRedeemItem[] = [];
  for (const key of input.contentKeys) {
    const mine = history.filter((t) => t.content_key === key);
    const redemptions = mine.map((t: TransactionWithReversal) => {
      const view = transactionView(t, 'usd_cents', input.links);
      return { ...view, policy_redemption_status_url: view.transaction_status_api_url };
    });
    const successful = mine.some((t) => t.state === 'committed' && t.reversal === null);
    const catalogPrice = evidence.facts.get(key)?.priceCents ?? null;
    if (successful) {
      items.push({
        content_key: key,
        list_price: listPrice(catalogPrice),
        redemptions,
        has_successful_redemption: true,
        redeemable_subsidy_access_policy: null,
        can_redeem: false,
        reasons: [],
        display_reason: null,
      });
      continue;
    }
    const refusals: Array<{ reason: string; policyUuid: string }> = [];
    let winner: (typeof ordered)[number] | null = null;
    let price = catalogPrice;
    for (const policy of ordered) {
      const verdict = judge(policy, key, evidence);
      if (verdict.redeemable) {
        winner = policy;
        price = verdict.priceCents;
        break;
      }
      refusals.push({ reason: verdict.reason ?? 'unknown', policyUuid: policy.uuid });
    }
    const reasons = winner ? [] : reasonObjects(refusals, await admins());
    items.push({
      content_key: key,
      list_price: listPrice(price),
      redemptions,
      has_successful_redemption: false,
      redeemable_subsidy_access_policy: winner
        ? policyModelView(winner, input.links.origin, evidence.now)
        : null,
      can_redeem: winner !== null,
      reasons,
      display_reason: reasons[0] ?? null,
    });
  }
  return items;
}
