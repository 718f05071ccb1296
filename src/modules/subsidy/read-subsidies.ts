import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { Forbidden } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { type Balances, getBalances } from '../ledger/index.js';
import type { SubsidyRow } from './schema.js';
import { adminCustomers, isSubsidyAdmin, subsidyNotFound } from './subsidy.access.js';
import * as subsidies from './subsidy.repository.js';

export interface SubsidyWithBalances {
  subsidy: SubsidyRow;
  balances: Balances;
}

async function withBalances(db: Executor, rows: SubsidyRow[]): Promise<SubsidyWithBalances[]> {
  // One indexed read per subsidy on a page of at most 100: balances are stored, not summed.
  return Promise.all(
    rows.map(async (subsidy) => ({ subsidy, balances: await getBalances(db, subsidy.ledger_uuid) })),
  );
}

/** A live subsidy by uuid, for other modules and the CLI (no actor: the caller authorized). */
export async function getSubsidyRow(db: Executor, uuid: string): Promise<SubsidyRow | undefined> {
  return subsidies.getById(db, uuid);
}

/** Live subsidies by uuid, in one query. */
export async function getSubsidyRows(db: Executor, uuids: string[]): Promise<SubsidyRow[]> {
  return subsidies.getByIds(db, uuids);
}

/** A subsidy for someone who may see it, else 403 (another enterprise) or 404. */
export async function loadSubsidyFor(
  db: Executor,
  actor: Principal,
  uuid: string,
  allowed: (actor: Principal, customerUuid: string) => boolean = isSubsidyAdmin,
): Promise<SubsidyRow> {
  const subsidy = await subsidies.getById(db, uuid);
  if (!subsidy) throw subsidyNotFound(uuid);
  if (!allowed(actor, subsidy.enterprise_customer_uuid)) throw new Forbidden();
  return subsidy;
}

export async function getSubsidy(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<SubsidyWithBalances> {
  const subsidy = await loadSubsidyFor(ctx.db.kysely, actor, uuid);
  const [one] = await withBalances(ctx.db.kysely, [subsidy]);
  return one as SubsidyWithBalances;
}

export async function listSubsidies(
  ctx: AppContext,
  actor: Principal,
  input: {
    enterpriseCustomerUuid?: string;
    uuid?: string;
    title?: string;
    sortBy: 'uuid' | 'title' | 'created' | 'expiration_datetime';
    descending: boolean;
    offset: number;
    limit: number;
  },
): Promise<{ count: number; results: SubsidyWithBalances[] }> {
  const customers = adminCustomers(actor);
  // Someone who administers no enterprise has no subsidies to list.
  if (customers !== null && customers.length === 0) throw new Forbidden();
  if (
    customers !== null &&
    input.enterpriseCustomerUuid &&
    !customers.includes(input.enterpriseCustomerUuid)
  ) {
    throw new Forbidden();
  }
  const filter = {
    customerUuids: customers,
    enterpriseCustomerUuid: input.enterpriseCustomerUuid,
    uuid: input.uuid,
    title: input.title,
  };
  const { count, rows } = await subsidies.list(ctx.db.kysely, filter, input);
  return { count, results: await withBalances(ctx.db.kysely, rows) };
}
