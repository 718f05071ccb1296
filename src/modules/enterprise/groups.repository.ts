import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CustomerFilter } from './customer-filter.js';
import type { GroupRow } from './schema.js';

/** The customers whose groups the caller may see: all of them, or these. */

export interface GroupMemberView {
  lms_user_id: number | null;
  email: string | null;
  username: string | null;
  /** The learner's full name when a token has carried it. */
  full_name: string | null;
  pending: boolean;
  created: Date;
}

export async function getByUuid(db: Executor, uuid: string): Promise<GroupRow | undefined> {
  return db.selectFrom('enterprise_groups').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

function scoped(db: Executor, customers: CustomerFilter, customerUuid?: string) {
  let q = db.selectFrom('enterprise_groups');
  if (customers !== '*') q = q.where((eb) => inList(eb, 'enterprise_customer_uuid', customers));
  if (customerUuid) q = q.where('enterprise_customer_uuid', '=', customerUuid);
  return q;
}

/** A page of the groups of the customers, by name, and their number. */
export async function list(
  db: Executor,
  customers: CustomerFilter,
  customerUuid: string | undefined,
  window: PageWindow,
): Promise<Paged<GroupRow>> {
  return paged(
    db,
    scoped(db, customers, customerUuid),
    (q) => q.selectAll().orderBy('name').orderBy('uuid'),
    window,
  );
}

export async function create(
  db: Executor,
  g: { uuid: string; enterprise_customer_uuid: string; name: string },
  now: Date,
): Promise<GroupRow> {
  return db
    .insertInto('enterprise_groups')
    .values({ ...g, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  name: string,
  now: Date,
): Promise<GroupRow | undefined> {
  return db
    .updateTable('enterprise_groups')
    .set({ name, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirst();
}

export async function remove(db: Executor, uuid: string): Promise<void> {
  await db.deleteFrom('enterprise_groups').where('uuid', '=', uuid).execute();
}

export async function addMembers(
  db: Executor,
  pairs: { group_uuid: string; lms_user_id: number }[],
  now: Date,
): Promise<void> {
  if (pairs.length === 0) return;
  await db
    .insertInto('enterprise_group_members')
    .values(pairs.map((p) => ({ ...p, created: now, modified: now })))
    .onConflict((oc) => oc.columns(['group_uuid', 'lms_user_id']).doNothing())
    .execute();
}

export async function removeMembers(db: Executor, groupUuid: string, lmsUserIds: number[]): Promise<void> {
  if (lmsUserIds.length === 0) return;
  await db
    .deleteFrom('enterprise_group_members')
    .where('group_uuid', '=', groupUuid)
    .where('lms_user_id', 'in', lmsUserIds)
    .execute();
}

export async function addPending(
  db: Executor,
  groupUuid: string,
  emails: string[],
  now: Date,
): Promise<void> {
  if (emails.length === 0) return;
  await db
    .insertInto('enterprise_pending_group_members')
    .values(emails.map((email) => ({ group_uuid: groupUuid, email, created: now, modified: now })))
    .onConflict((oc) => oc.columns(['group_uuid', 'email']).doNothing())
    .execute();
}

export async function removePending(db: Executor, groupUuid: string, emails: string[]): Promise<void> {
  if (emails.length === 0) return;
  await db
    .deleteFrom('enterprise_pending_group_members')
    .where('group_uuid', '=', groupUuid)
    .where('email', 'in', emails)
    .execute();
}

/** Takes the pending group memberships of an email (lower-cased) away and returns their groups. */
export async function takePendingByEmail(db: Executor, email: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('enterprise_pending_group_members')
    .where('email', '=', email)
    .returning('group_uuid')
    .execute();
  return rows.map((r) => r.group_uuid);
}

/** A group member counts while their membership in the group's customer is active. */
export async function isMember(db: Executor, groupUuid: string, lmsUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('enterprise_group_members as gm')
    .innerJoin('enterprise_groups as g', 'g.uuid', 'gm.group_uuid')
    .innerJoin('enterprise_memberships as m', (j) =>
      j
        .onRef('m.enterprise_customer_uuid', '=', 'g.enterprise_customer_uuid')
        .onRef('m.lms_user_id', '=', 'gm.lms_user_id'),
    )
    .select('gm.group_uuid')
    .where('gm.group_uuid', '=', groupUuid)
    .where('gm.lms_user_id', '=', lmsUserId)
    .where('m.active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

/** The groups of each of `lmsUserIds` in the customer (active members only): one statement. */
export async function groupUuidsOfLearners(
  db: Executor,
  customerUuid: string,
  lmsUserIds: number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (lmsUserIds.length === 0) return out;
  const rows = await db
    .selectFrom('enterprise_groups as g')
    .innerJoin('enterprise_group_members as gm', 'gm.group_uuid', 'g.uuid')
    .innerJoin('enterprise_memberships as m', (j) =>
      j
        .onRef('m.enterprise_customer_uuid', '=', 'g.enterprise_customer_uuid')
        .onRef('m.lms_user_id', '=', 'gm.lms_user_id'),
    )
    .select(['g.uuid', 'gm.lms_user_id'])
    .where('g.enterprise_customer_uuid', '=', customerUuid)
    .where('gm.lms_user_id', 'in', lmsUserIds)
    .where('m.active', '=', true)
    .execute();
  for (const r of rows) {
    if (r.lms_user_id === null) continue;
    out.set(r.lms_user_id, [...(out.get(r.lms_user_id) ?? []), r.uuid]);
  }
  return out;
}

export async function groupsOfLearner(
  db: Executor,
  customerUuid: string,
  lmsUserId: number,
): Promise<GroupRow[]> {
  return db
    .selectFrom('enterprise_groups as g')
    .innerJoin('enterprise_group_members as gm', 'gm.group_uuid', 'g.uuid')
    .innerJoin('enterprise_memberships as m', (j) =>
      j
        .onRef('m.enterprise_customer_uuid', '=', 'g.enterprise_customer_uuid')
        .onRef('m.lms_user_id', '=', 'gm.lms_user_id'),
    )
    .selectAll('g')
    .where('g.enterprise_customer_uuid', '=', customerUuid)
    .where('gm.lms_user_id', '=', lmsUserId)
    .where('m.active', '=', true)
    .orderBy('g.name')
    .execute();
}

function membersOf(db: Executor, groupUuid: string) {
  return db
    .selectFrom('enterprise_group_members as gm')
    .innerJoin('enterprise_learners as l', 'l.lms_user_id', 'gm.lms_user_id')
    .select((eb) => [
      eb.cast<number | null>('l.lms_user_id', 'bigint').as('lms_user_id'),
      'l.email',
      eb.cast<string | null>('l.username', 'text').as('username'),
      eb.cast<string | null>('l.full_name', 'text').as('full_name'),
      eb.cast<boolean>(eb.lit(false), 'boolean').as('pending'),
      'gm.created',
    ])
    .where('gm.group_uuid', '=', groupUuid)
    .unionAll((eb) =>
      eb
        .selectFrom('enterprise_pending_group_members as p')
        .select((e) => [
          e.cast<number | null>(e.val(null), 'bigint').as('lms_user_id'),
          e.cast<string | null>('p.email', 'text').as('email'),
          e.cast<string | null>(e.val(null), 'text').as('username'),
          e.cast<string | null>(e.val(null), 'text').as('full_name'),
          e.cast<boolean>(e.lit(true), 'boolean').as('pending'),
          'p.created',
        ])
        .where('p.group_uuid', '=', groupUuid),
    );
}

/** A page of a group's members (learners, then pending invitations by email) and their number. */
export async function listMembers(
  db: Executor,
  groupUuid: string,
  window: PageWindow,
): Promise<Paged<GroupMemberView>> {
  return paged(
    db,
    db.selectFrom(membersOf(db, groupUuid).as('x')),
    (q) =>
      q.selectAll().orderBy('x.pending').orderBy('x.created').orderBy('x.lms_user_id').orderBy('x.email'),
    window,
  );
}
