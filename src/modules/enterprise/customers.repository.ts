import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { EnterpriseCustomer } from './schema.js';

export interface NewCustomer {
  uuid: string;
  name: string;
  slug: string;
  active: boolean;
  country: string | null;
  contact_email: string | null;
  auth_org_id: string | null;
  enable_data_sharing_consent: boolean;
  now: Date;
}

export type CustomerChanges = Partial<Omit<NewCustomer, 'uuid' | 'now'>>;

/** Who may see which customers: everything, or the listed ones plus those the learner belongs to. */
export type CustomerScope = '*' | { uuids: string[]; memberLmsUserId: number };

export async function getByUuid(db: Executor, uuid: string): Promise<EnterpriseCustomer | undefined> {
  return db.selectFrom('enterprise_customers').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getBySlug(db: Executor, slug: string): Promise<EnterpriseCustomer | undefined> {
  return db.selectFrom('enterprise_customers').selectAll().where('slug', '=', slug).executeTakeFirst();
}

function scoped(db: Executor, scope: CustomerScope, slug?: string) {
  const q =
    slug === undefined
      ? db.selectFrom('enterprise_customers')
      : db.selectFrom('enterprise_customers').where('slug', '=', slug);
  if (scope === '*') return q;
  return q.where((eb) =>
    eb.or([
      inList(eb, 'uuid', scope.uuids),
      eb(
        'uuid',
        'in',
        eb
          .selectFrom('enterprise_memberships')
          .select('enterprise_customer_uuid')
          .where('lms_user_id', '=', scope.memberLmsUserId)
          .where('active', '=', true),
      ),
    ]),
  );
}

/** A page of the customers in scope, by name, and their number. */
export async function list(
  db: Executor,
  scope: CustomerScope,
  window: PageWindow,
  slug?: string,
): Promise<Paged<EnterpriseCustomer>> {
  return paged(db, scoped(db, scope, slug), (q) => q.selectAll().orderBy('name').orderBy('uuid'), window);
}

export async function create(db: Executor, c: NewCustomer): Promise<EnterpriseCustomer> {
  const { now, ...rest } = c;
  return db
    .insertInto('enterprise_customers')
    .values({ ...rest, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  changes: CustomerChanges,
  now: Date,
): Promise<EnterpriseCustomer | undefined> {
  return db
    .updateTable('enterprise_customers')
    .set({ ...changes, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirst();
}

export async function remove(db: Executor, uuid: string): Promise<boolean> {
  const r = await db.deleteFrom('enterprise_customers').where('uuid', '=', uuid).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
