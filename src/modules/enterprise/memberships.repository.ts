import type { Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
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

export async function countActive(db: Executor, customerUuid: string): Promise<number> {
  const r = await db
    .selectFrom('enterprise_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('enterprise_customer_uuid', '=', customerUuid)
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listActive(
  db: Executor,
  customerUuid: string,
  offset: number,
  limit: number,
): Promise<MemberRow[]> {
  return db
    .selectFrom('enterprise_memberships as m')
    .innerJoin('enterprise_learners as l', 'l.lms_user_id', 'm.lms_user_id')
    .select(['l.lms_user_id', 'l.username', 'l.email', 'm.active', 'm.linked'])
    .where('m.enterprise_customer_uuid', '=', customerUuid)
    .where('m.active', '=', true)
    .orderBy('m.linked')
    .orderBy('l.lms_user_id')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countOfLearner(db: Executor, lmsUserId: number): Promise<number> {
  const r = await db
    .selectFrom('enterprise_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lms_user_id', '=', lmsUserId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listOfLearner(
  db: Executor,
  lmsUserId: number,
  offset: number,
  limit: number,
): Promise<LearnerMembershipRow[]> {
  return db
    .selectFrom('enterprise_memberships as m')
    .innerJoin('enterprise_customers as c', 'c.uuid', 'm.enterprise_customer_uuid')
    .select(['m.enterprise_customer_uuid', 'c.name', 'c.slug', 'm.active', 'm.linked'])
    .where('m.lms_user_id', '=', lmsUserId)
    .orderBy('c.name')
    .orderBy('c.uuid')
    .offset(offset)
    .limit(limit)
    .execute();
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

export async function countPending(db: Executor, customerUuid: string): Promise<number> {
  return countRows(
    db.selectFrom('enterprise_pending_memberships').where('enterprise_customer_uuid', '=', customerUuid),
  );
}

/** Invitations by email not yet taken up (the person has not signed in), by email. */
export async function listPending(
  db: Executor,
  customerUuid: string,
  offset: number,
  limit: number,
): Promise<Array<{ email: string; created: Date }>> {
  return db
    .selectFrom('enterprise_pending_memberships')
    .select(['email', 'created'])
    .where('enterprise_customer_uuid', '=', customerUuid)
    .orderBy('email')
    .offset(offset)
    .limit(limit)
    .execute();
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
