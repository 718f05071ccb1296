import type { AppContext } from '../../context.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import {
  getBalances,
  getTransaction,
  netQuantity,
  pageTransactions,
  type TransactionFilter,
  type TransactionOrder,
  type TransactionState,
  type TransactionWithReversal,
} from '../ledger/index.js';
import { loadSubsidyFor } from './read-subsidies.js';
import type { SubsidyRow } from './schema.js';
import { isSubsidyAdmin, isSubsidyLearner } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

export interface TransactionQuery {
  subsidyUuid: string;
  lmsUserId?: number;
  contentKey?: string;
  policyUuid?: string;
  states?: TransactionState[];
  search?: string;
  orderBy: TransactionOrder;
  descending: boolean;
  includeAggregates: boolean;
  offset: number;
  limit: number;
  /** Only the caller's own transactions, whatever their roles (the v2 learner list). */
  ownOnly?: boolean;
  /** The admin portal's list: admins of the enterprise and operators only. */
  adminOnly?: boolean;
}

export interface TransactionPage {
  subsidy: SubsidyRow;
  count: number;
  results: TransactionWithReversal[];
  aggregates: { unit: string; remaining_subsidy_balance: number; total_quantity: number } | null;
}

/**
 * A subsidy's transactions: admins of its enterprise see all of them, learners only their own
 * (the learner filter is forced into the query, never applied after it). Spends only: deposits and
 * adjustments are not learner activity.
 */
export async function listSubsidyTransactions(
  ctx: AppContext,
  actor: Principal,
  q: TransactionQuery,
): Promise<TransactionPage> {
  const subsidy = await loadSubsidyFor(
    ctx.db.kysely,
    actor,
    q.subsidyUuid,
    q.adminOnly ? isSubsidyAdmin : isSubsidyLearner,
  );
  const seesAll = !q.ownOnly && isSubsidyAdmin(actor, subsidy.enterprise_customer_uuid);
  if (!seesAll && q.lmsUserId !== undefined && q.lmsUserId !== actor.lmsUserId) throw new Forbidden();
  const filter: TransactionFilter = {
    ledgerUuid: subsidy.ledger_uuid,
    kinds: ['spend'],
    lmsUserId: seesAll ? q.lmsUserId : actor.lmsUserId,
    contentKey: q.contentKey,
    policyUuid: q.policyUuid,
    states: q.states,
    search: q.search,
  };
  const { count, rows: results } = await pageTransactions(ctx.db.kysely, filter, {
    offset: q.offset,
    limit: q.limit,
    orderBy: q.orderBy,
    descending: q.descending,
  });
  let aggregates: TransactionPage['aggregates'] = null;
  if (q.includeAggregates) {
    const [balances, total] = await Promise.all([
      getBalances(ctx.db.kysely, subsidy.ledger_uuid),
      netQuantity(ctx.db.kysely, filter),
    ]);
    aggregates = { unit: balances.unit, remaining_subsidy_balance: balances.balance, total_quantity: total };
  }
  return { subsidy, count, results, aggregates };
}

/** One transaction: its learner, the admins of its enterprise, operators; 404 for anyone else. */
export async function getSubsidyTransaction(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<{ transaction: TransactionWithReversal; subsidy: SubsidyRow }> {
  const notFound = new NotFound(`No transaction ${uuid}.`, 'transaction_not_found');
  const transaction = await getTransaction(ctx.db.kysely, uuid);
  if (!transaction) throw notFound;
  const subsidy = await subsidies.getByLedger(ctx.db.kysely, transaction.ledger_uuid);
  if (!subsidy) throw notFound;
  const customer = subsidy.enterprise_customer_uuid;
  if (isSubsidyAdmin(actor, customer)) return { transaction, subsidy };
  if (isSubsidyLearner(actor, customer) && transaction.lms_user_id === actor.lmsUserId)
    return { transaction, subsidy };
  if (isSubsidyLearner(actor, customer)) throw notFound;
  throw new Forbidden();
}
