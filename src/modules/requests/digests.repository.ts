import type { Executor } from '../../database.js';

/**
 * The customer's digest cursor, locked (created first when missing, at `initial`): two digest
 * runs for one customer wait for each other here.
 */
export async function lockCursor(db: Executor, customerUuid: string, now: Date): Promise<Date | null> {
  const row = await db
    .insertInto('learner_credit_request_digests')
    .values({
      enterprise_customer_uuid: customerUuid,
      last_remind_date: new Date(0),
      created: now,
      modified: now,
    })
    .onConflict((oc) =>
      oc.column('enterprise_customer_uuid').doUpdateSet((eb) => ({ modified: eb.ref('excluded.modified') })),
    )
    .returning('last_remind_date')
    .executeTakeFirstOrThrow();
  return row.last_remind_date.getTime() === 0 ? null : row.last_remind_date;
}

export async function setCursor(db: Executor, customerUuid: string, at: Date, now: Date): Promise<void> {
  await db
    .updateTable('learner_credit_request_digests')
    .set({ last_remind_date: at, modified: now })
    .where('enterprise_customer_uuid', '=', customerUuid)
    .execute();
}
