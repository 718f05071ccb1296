import type { Executor } from '../../database.js';

export interface AdminContact {
  email: string;
  lms_user_id: number | null;
}

export async function add(
  db: Executor,
  customerUuids: string[],
  lmsUserId: number,
  now: Date,
): Promise<void> {
  if (customerUuids.length === 0) return;
  await db
    .insertInto('enterprise_admins')
    .values(
      customerUuids.map((c) => ({
        enterprise_customer_uuid: c,
        lms_user_id: lmsUserId,
        created: now,
        modified: now,
      })),
    )
    .onConflict((oc) => oc.columns(['enterprise_customer_uuid', 'lms_user_id']).doNothing())
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
    .insertInto('enterprise_pending_admins')
    .values(
      emails.map((email) => ({ enterprise_customer_uuid: customerUuid, email, created: now, modified: now })),
    )
    .onConflict((oc) => oc.columns(['enterprise_customer_uuid', 'email']).doNothing())
    .execute();
}

/** Takes the pending admin invitations of an email (lower-cased) away and returns their customers. */
export async function takePendingByEmail(db: Executor, email: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('enterprise_pending_admins')
    .where('email', '=', email)
    .returning('enterprise_customer_uuid')
    .execute();
  return rows.map((r) => r.enterprise_customer_uuid);
}

/**
 * The admins with a learner record (and an email), then the pending invitations, by email, of
 * several customers in one statement.
 */
export async function contactsOf(
  db: Executor,
  customerUuids: string[],
): Promise<Map<string, AdminContact[]>> {
  const out = new Map<string, AdminContact[]>(customerUuids.map((c) => [c, []]));
  if (customerUuids.length === 0) return out;
  const rows = await db
    .selectFrom('enterprise_admins as a')
    .innerJoin('enterprise_learners as l', 'l.lms_user_id', 'a.lms_user_id')
    .select((eb) => [
      'a.enterprise_customer_uuid as customer',
      eb.cast<string>('l.email', 'text').as('email'),
      eb.cast<number | null>('l.lms_user_id', 'bigint').as('lms_user_id'),
    ])
    .where('a.enterprise_customer_uuid', 'in', customerUuids)
    .where('l.email', 'is not', null)
    .unionAll((eb) =>
      eb
        .selectFrom('enterprise_pending_admins as p')
        .select([
          'p.enterprise_customer_uuid as customer',
          'p.email',
          (e) => e.cast<number | null>(e.val(null), 'bigint').as('lms_user_id'),
        ])
        .where('p.enterprise_customer_uuid', 'in', customerUuids),
    )
    .orderBy('email')
    .execute();
  for (const r of rows) out.get(r.customer)?.push({ email: r.email, lms_user_id: r.lms_user_id });
  return out;
}
