import type { Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { containsPattern } from '../../db/like.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { SubsidiesTable, SubsidyRow } from './schema.js';

export interface SubsidyFilter {
  /** null = every customer (operators); otherwise only these. */
  customerUuids: string[] | null;
  enterpriseCustomerUuid?: string;
  uuid?: string;
  title?: string;
}

function visible(db: Executor, f: SubsidyFilter) {
  let q = db.selectFrom('subsidies').where('is_soft_deleted', '=', false);
  const customers = f.customerUuids;
  if (customers !== null) q = q.where((eb) => inList(eb, 'enterprise_customer_uuid', customers));
  if (f.enterpriseCustomerUuid) q = q.where('enterprise_customer_uuid', '=', f.enterpriseCustomerUuid);
  if (f.uuid) q = q.where('uuid', '=', f.uuid);
  if (f.title) q = q.where('title', 'ilike', containsPattern(f.title));
  return q;
}

/** A page of the visible subsidies in the order asked for, and their number. */
export async function list(
  db: Executor,
  f: SubsidyFilter,
  page: PageWindow & { sortBy: 'uuid' | 'title' | 'created' | 'expiration_datetime'; descending: boolean },
): Promise<Paged<SubsidyRow>> {
  return paged(
    db,
    visible(db, f),
    (q) =>
      q
        .selectAll()
        .orderBy(page.sortBy, page.descending ? 'desc' : 'asc')
        .orderBy('uuid'),
    page,
  );
}

export async function getById(db: Executor, uuid: string): Promise<SubsidyRow | undefined> {
  return db
    .selectFrom('subsidies')
    .selectAll()
    .where('uuid', '=', uuid)
    .where('is_soft_deleted', '=', false)
    .executeTakeFirst();
}

/** Soft-deleted ones too: their history is kept. */
export async function getByIdIncludingDeleted(db: Executor, uuid: string): Promise<SubsidyRow | undefined> {
  return db.selectFrom('subsidies').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getByIds(db: Executor, uuids: string[]): Promise<SubsidyRow[]> {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('subsidies')
    .selectAll()
    .where('uuid', 'in', uuids)
    .where('is_soft_deleted', '=', false)
    .execute();
}

export async function getByLedger(db: Executor, ledgerUuid: string): Promise<SubsidyRow | undefined> {
  return db.selectFrom('subsidies').selectAll().where('ledger_uuid', '=', ledgerUuid).executeTakeFirst();
}

/** The live customer-facing subsidy of a sales contract line, if any. */
export async function getByReference(
  db: Executor,
  referenceId: string,
  referenceType: string,
): Promise<SubsidyRow | undefined> {
  return db
    .selectFrom('subsidies')
    .selectAll()
    .where('reference_id', '=', referenceId)
    .where('reference_type', '=', referenceType)
    .where('internal_only', '=', false)
    .where('is_soft_deleted', '=', false)
    .executeTakeFirst();
}

export async function insert(db: Executor, row: Omit<SubsidyRow, 'is_soft_deleted'>): Promise<SubsidyRow> {
  return db.insertInto('subsidies').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  fields: Omit<Updateable<SubsidiesTable>, 'uuid' | 'ledger_uuid' | 'starting_balance_cents' | 'created'>,
): Promise<SubsidyRow> {
  return db
    .updateTable('subsidies')
    .set(fields)
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}
