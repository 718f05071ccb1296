import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/db.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { getEnterpriseCustomer, listAdminContacts } from '../enterprise/index.js';
import { learnerTransactionsForContents, type TransactionWithReversal } from '../ledger/index.js';
import { type TransactionLinks, transactionView } from '../subsidy/index.js';
import { byPriority, gatherEvidence, judge } from './evaluate.js';
import { learnerFor } from './learner.js';
import * as policies from './policy.repository.js';
import { type PolicyModelView, policyModelView } from './policy-model.view.js';
import { type AdminContact, type ReasonObject, reasonObjects } from './reasons.js';

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
  cents === null ? null : { usd: cents / 100, usd_cents: cents };

/** The customer's contact: its contact email if it has one, else its admins. */
export async function adminContacts(
  ctx: AppContext,
  enterpriseCustomerUuid: string,
  db: Executor = ctx.db.kysely,
): Promise<AdminContact[]> {
  const customer = await getEnterpriseCustomer(db, enterpriseCustomerUuid);
  if (customer?.contact_email) return [{ email: customer.contact_email, lms_user_id: null }];
  return listAdminContacts(db, enterpriseCustomerUuid);
}

/**
 * Whether the learner can redeem each content key, and through which policy: the first redeemable
 * policy in priority order wins; otherwise the reasons, grouped, the first one displayed. A key
 * the learner already holds (committed, not refunded) is not evaluated again.
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
  const db = ctx.db.kysely;
  const candidates = await policies.redeemableOfCustomer(db, input.enterpriseCustomerUuid);
  if (candidates.length === 0)
    throw new NotFound('No active policies for this customer', 'no_active_policies');
  const keys = [...new Set(input.contentKeys)];
  const evidence = await gatherEvidence(ctx, db, input.enterpriseCustomerUuid, candidates, learner, keys);
  const ordered = byPriority(candidates, evidence.spend);
  const policyUuids = new Set(candidates.map((p) => p.uuid));
  const ledgers = [
    ...new Set([...evidence.spend.values()].flatMap((s) => (s.subsidy ? [s.subsidy.ledger_uuid] : []))),
  ];
  const history = (await learnerTransactionsForContents(db, ledgers, learner.lmsUserId, keys)).filter(
    (t) => t.subsidy_access_policy_uuid !== null && policyUuids.has(t.subsidy_access_policy_uuid),
  );
  let admins: AdminContact[] | null = null;

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
    if (!winner && admins === null) admins = await adminContacts(ctx, input.enterpriseCustomerUuid);
    const reasons = winner ? [] : reasonObjects(refusals, admins ?? []);
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
