import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { MembershipRow } from './schema.js';

export interface MemberRow {
  lms_user_id: number;
  username: string;
  email: string | null;
  active: boolean;
  linked: Date;
}

export interface LearnerMembershipRow {
  enterprise_customer_uuid: string;
  name: string;
  slug: string;
  active: boolean;
  linked: Date;
}

export async function get(
  db: Executor,
  customerUuid: string,
  lmsUserId: number,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('enterprise_memberships')
    .selectAll()
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('lms_user_id', '=', lmsUserId)
    .executeTakeFirst();
}

export async function isActive(db: Executor, customerUuid: string, lmsUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('enterprise_memberships')
    .select('active')
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('lms_user_id', '=', lmsUserId)
    .where('active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of `lmsUserIds`, those with a membership in the customer: active ones, or (`any`) deactivated too. */
export async function membersAmong(
  db: Executor,
  customerUuid: string,
  lmsUserIds: number[],
  which: 'active' | 'any',
): Promise<number[]> {
  if (lmsUserIds.length === 0) return [];
  let q = db
    .selectFrom('enterprise_memberships')
    .select('lms_user_id')
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('lms_user_id', 'in', lmsUserIds);
  if (which === 'active') q = q.where('active', '=', true);
  return (await q.execute()).map((r) => r.lms_user_id);
}

/** Makes each pair (customer, learner) an active membership; a deactivated one is relinked now. */
export async function activate(
  db: Executor,
  pairs: { enterprise_customer_uuid: string; lms_user_id: number }[],
  now: Date,
): Promise<void> {
  if (pairs.length === 0) return;
  await db
    .insertInto('enterprise_memberships')
    .values(pairs.map((p) => ({ ...p, active: true, linked: now, created: now, modified: now })))
    .onConflict((oc) =>
      oc
        .columns(['enterprise_customer_uuid', 'lms_user_id'])
        .doUpdateSet({ active: true, linked: now, modified: now })
        .where('enterprise_memberships.active', '=', false),
    )
    .execute();
}

export async function deactivate(
  db: Executor,
  customerUuid: string,
  lmsUserId: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('enterprise_memberships')
    .set({ active: false, modified: now })
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('lms_user_id', '=', lmsUserId)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * A page of a customer's active members with their learner fields, and their number. The join is
 * the page's alone: every membership has its learner (a foreign key), so the count reads none.
 */
export async function listActive(
  db: Executor,
  customerUuid: string,
  window: PageWindow,
): Promise<Paged<MemberRow>> {
  return paged(
    db,
    db
      .selectFrom('enterprise_memberships as m')
      .where('m.enterprise_customer_uuid', '=', customerUuid)
      .where('m.active', '=', true),
    (q) =>
      q
        .innerJoin('enterprise_learners as l', 'l.lms_user_id', 'm.lms_user_id')
        .select(['l.lms_user_id', 'l.username', 'l.email', 'm.active', 'm.linked'])
        .orderBy('m.linked')
        .orderBy('l.lms_user_id'),
    window,
  );
}

/** A page of a learner's memberships with their customer's name, and their number. */
export async function listOfLearner(
  db: Executor,
  lmsUserId: number,
  window: PageWindow,
): Promise<Paged<LearnerMembershipRow>> {
  return paged(
    db,
    db.selectFrom('enterprise_memberships as m').where('m.lms_user_id', '=', lmsUserId),
    (q) =>
      q
        .innerJoin('enterprise_customers as c', 'c.uuid', 'm.enterprise_customer_uuid')
        .select(['m.enterprise_customer_uuid', 'c.name', 'c.slug', 'm.active', 'm.linked'])
        .orderBy('c.name')
        .orderBy('c.uuid'),
    window,
  );
}

/** These learners' memberships of the customer, with their learner fields. */
export async function listSomeOfCustomer(
  db: Executor,
  customerUuid: string,
  lmsUserIds: number[],
): Promise<MemberRow[]> {
  if (lmsUserIds.length === 0) return [];
  return db
    .selectFrom('enterprise_memberships as m')
    .innerJoin('enterprise_learners as l', 'l.lms_user_id', 'm.lms_user_id')
    .select(['l.lms_user_id', 'l.username', 'l.email', 'm.active', 'm.linked'])
    .where('m.enterprise_customer_uuid', '=', customerUuid)
    .where('m.lms_user_id', 'in', lmsUserIds)
    .orderBy('l.lms_user_id')
    .execute();
}

export async function addPending(
  db: Executor,
  customerUuid: string,
  emails: string[],
  now: Date,
): Promise<void> {
  if (emails.length === 0) return;
  await db
    .insertInto('enterprise_pending_memberships')
    .values(
      emails.map((email) => ({ enterprise_customer_uuid: customerUuid, email, created: now, modified: now })),
    )
    .onConflict((oc) => oc.columns(['enterprise_customer_uuid', 'email']).doNothing())
    .execute();
}

/** A page of the invitations by email not yet taken up (the person has not signed in), by email, and their number. */
export async function listPending(
  db: Executor,
  customerUuid: string,
  window: PageWindow,
): Promise<Paged<{ email: string; created: Date }>> {
  return paged(
    db,
    db.selectFrom('enterprise_pending_memberships').where('enterprise_customer_uuid', '=', customerUuid),
    (q) => q.select(['email', 'created']).orderBy('email'),
    window,
  );
}

export async function removePending(db: Executor, customerUuid: string, emails: string[]): Promise<void> {
  if (emails.length === 0) return;
  await db
    .deleteFrom('enterprise_pending_memberships')
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('email', 'in', emails)
    .execute();
}

/** Takes the pending memberships of an email (lower-cased) away and returns their customers. */
export async function takePendingByEmail(db: Executor, email: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('enterprise_pending_memberships')
    .where('email', '=', email)
    .returning('enterprise_customer_uuid')
    .execute();
  return rows.map((r) => r.enterprise_customer_uuid);
}
