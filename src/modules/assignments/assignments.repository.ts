import type { ExpressionBuilder } from 'kysely';
import { type Insertable, sql } from 'kysely';
import type { Database, Executor } from '../../database.js';
import { countRows } from '../../db/count.js';
import { inList } from '../../db/in-list.js';
import type { AssignmentRow, AssignmentState, LearnerContentAssignmentsTable } from './schema.js';

export async function getById(db: Executor, uuid: string): Promise<AssignmentRow | undefined> {
  return db.selectFrom('learner_content_assignments').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Assignments among `uuids`, locked for the caller's transaction (in uuid order: no deadlock). */
export async function getMany(db: Executor, uuids: string[]): Promise<AssignmentRow[]> {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('uuid', 'in', uuids)
    .orderBy('uuid')
    .forUpdate()
    .execute();
}

/** Assignments of one configuration among `uuids`. */
export async function getManyInConfiguration(
  db: Executor,
  configurationUuid: string,
  uuids: string[],
): Promise<AssignmentRow[]> {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('assignment_configuration_uuid', '=', configurationUuid)
    .where('uuid', 'in', uuids)
    .orderBy('created')
    .orderBy('uuid')
    .forUpdate()
    .execute();
}

/** Positive cents still set aside (state allocated) per configuration. */
export async function allocatedSums(
  db: Executor,
  configurationUuids: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>(configurationUuids.map((u) => [u, 0]));
  if (configurationUuids.length === 0) return out;
  const rows = await db
    .selectFrom('learner_content_assignments')
    .select((eb) => ['assignment_configuration_uuid', eb.fn.sum<number>('content_quantity').as('total')])
    .where('assignment_configuration_uuid', 'in', configurationUuids)
    .where('state', '=', 'allocated')
    .groupBy('assignment_configuration_uuid')
    .execute();
  for (const r of rows) out.set(r.assignment_configuration_uuid, -Number(r.total));
  return out;
}

/** The rows an allocation of `contentKey` to these learners would reuse (exact content key, as the reference). */
export async function existingForAllocation(
  db: Executor,
  q: { configurationUuid: string; contentKey: string; lowerEmails: string[]; lmsUserIds: number[] },
): Promise<AssignmentRow[]> {
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('assignment_configuration_uuid', '=', q.configurationUuid)
    .where('content_key', '=', q.contentKey)
    .where((eb) =>
      eb.or([
        inList(eb, sql<string>`lower(learner_email)`, q.lowerEmails),
        inList(eb, 'lms_user_id', q.lmsUserIds),
      ]),
    )
    .orderBy('created')
    .execute();
}

/**
 * Writes new and changed assignments in one statement: new rows are inserted, existing ones (same
 * uuid) take every lifecycle column of the given row. The unique indexes still refuse a second row
 * for one learner and content.
 */
export async function upsertMany(
  db: Executor,
  rows: Array<Insertable<LearnerContentAssignmentsTable>>,
): Promise<AssignmentRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('learner_content_assignments')
    .values(rows)
    .onConflict((oc) =>
      oc.column('uuid').doUpdateSet((eb) => ({
        learner_email: eb.ref('excluded.learner_email'),
        lms_user_id: eb.ref('excluded.lms_user_id'),
        parent_content_key: eb.ref('excluded.parent_content_key'),
        is_assigned_course_run: eb.ref('excluded.is_assigned_course_run'),
        content_title: eb.ref('excluded.content_title'),
        content_quantity: eb.ref('excluded.content_quantity'),
        preferred_course_run_key: eb.ref('excluded.preferred_course_run_key'),
        state: eb.ref('excluded.state'),
        allocated_at: eb.ref('excluded.allocated_at'),
        accepted_at: eb.ref('excluded.accepted_at'),
        cancelled_at: eb.ref('excluded.cancelled_at'),
        expired_at: eb.ref('excluded.expired_at'),
        errored_at: eb.ref('excluded.errored_at'),
        allocation_batch_id: eb.ref('excluded.allocation_batch_id'),
        learner_acknowledged: eb.ref('excluded.learner_acknowledged'),
        modified: eb.ref('excluded.modified'),
      })),
    )
    .returningAll()
    .execute();
}

export type AssignmentUpdate = Partial<
  Pick<
    AssignmentRow,
    | 'state'
    | 'accepted_at'
    | 'cancelled_at'
    | 'expired_at'
    | 'errored_at'
    | 'reversed_at'
    | 'transaction_uuid'
    | 'preferred_course_run_key'
    | 'learner_acknowledged'
    | 'learner_email'
  >
> & { modified: Date };

/** The same change to many assignments at once. */
export async function updateMany(
  db: Executor,
  uuids: string[],
  fields: AssignmentUpdate,
): Promise<AssignmentRow[]> {
  if (uuids.length === 0) return [];
  return db
    .updateTable('learner_content_assignments')
    .set(fields)
    .where('uuid', 'in', uuids)
    .returningAll()
    .execute();
}

/** A learner's assignment for a run key or its course: the run itself, a run under the course, the course. */
/**
 * The learner's rows: theirs by id, or, not yet linked to anyone, by their email (a learner
 * assigned before they first signed in).
 */
function learnerMatch(lmsUserId: number, email: string | null | undefined) {
  return (eb: ExpressionBuilder<Database, 'learner_content_assignments'>) =>
    email
      ? eb.or([
          eb('lms_user_id', '=', lmsUserId),
          eb.and([
            eb('lms_user_id', 'is', null),
            eb(eb.fn('lower', ['learner_email']), '=', email.toLowerCase()),
          ]),
        ])
      : eb('lms_user_id', '=', lmsUserId);
}

/** A learner's way to be matched: their id, and the email an assignment was made to before they signed in. */
export interface LearnerMatch {
  lmsUserId: number;
  learnerEmail?: string | null;
}

/** The assignments of any of these learners for any of the keys (as content or parent), newest change first. */
export async function forContent(
  db: Executor,
  q: { configurationUuids: string[]; learners: LearnerMatch[]; keys: string[] },
): Promise<AssignmentRow[]> {
  if (q.configurationUuids.length === 0 || q.keys.length === 0 || q.learners.length === 0) return [];
  const emails = q.learners.flatMap((l) => (l.learnerEmail ? [l.learnerEmail.toLowerCase()] : []));
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('assignment_configuration_uuid', 'in', q.configurationUuids)
    .where((eb) =>
      eb.or([
        eb(
          'lms_user_id',
          'in',
          q.learners.map((l) => l.lmsUserId),
        ),
        eb.and([
          eb('lms_user_id', 'is', null),
          inList(eb, eb.fn<string>('lower', ['learner_email']), emails),
        ]),
      ]),
    )
    .where((eb) => eb.or([eb('content_key', 'in', q.keys), eb('parent_content_key', 'in', q.keys)]))
    .orderBy('modified', 'desc')
    .execute();
}

/** Whether the assignment is the learner's (theirs by id, or made to their email before they signed in). */
export function isLearners(row: AssignmentRow, learner: LearnerMatch): boolean {
  if (row.lms_user_id !== null) return Number(row.lms_user_id) === learner.lmsUserId;
  return !!learner.learnerEmail && row.learner_email.toLowerCase() === learner.learnerEmail.toLowerCase();
}

/** A learner's assignments not yet acknowledged, in many configurations. */
export async function unacknowledgedOfLearner(
  db: Executor,
  configurationUuids: string[],
  lmsUserId: number,
  learnerEmail?: string | null,
): Promise<AssignmentRow[]> {
  if (configurationUuids.length === 0) return [];
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('assignment_configuration_uuid', 'in', configurationUuids)
    .where(learnerMatch(lmsUserId, learnerEmail))
    .where('learner_acknowledged', '=', false)
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}

/** The caller's own assignments in a configuration: by lms_user_id, or by email (case-insensitively). */
export async function ofLearner(
  db: Executor,
  q: { configurationUuid: string; lmsUserId: number; email: string | null },
): Promise<AssignmentRow[]> {
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('assignment_configuration_uuid', '=', q.configurationUuid)
    .where((eb) =>
      eb.or([
        eb('lms_user_id', '=', q.lmsUserId),
        ...(q.email ? [eb(sql<string>`lower(learner_email)`, '=', q.email.toLowerCase())] : []),
      ]),
    )
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}

/** Allocated assignments of active configurations, oldest first, after `afterUuid` (the expiry sweep). */
/** Allocated assignments of active configurations: what an expiry run will look at. */
export async function countAllocated(db: Executor): Promise<number> {
  return countRows(
    db
      .selectFrom('learner_content_assignments as a')
      .innerJoin('assignment_configurations as c', 'c.uuid', 'a.assignment_configuration_uuid')
      .where('c.active', '=', true)
      .where('a.state', '=', 'allocated'),
  );
}

export async function allocatedPage(
  db: Executor,
  after: { created: Date; uuid: string } | null,
  limit: number,
): Promise<AssignmentRow[]> {
  let q = db
    .selectFrom('learner_content_assignments as a')
    .innerJoin('assignment_configurations as c', 'c.uuid', 'a.assignment_configuration_uuid')
    .selectAll('a')
    .where('c.active', '=', true)
    .where('a.state', '=', 'allocated');
  if (after) {
    const a = after;
    q = q.where((eb) =>
      eb.or([
        eb('a.created', '>', a.created),
        eb.and([eb('a.created', '=', a.created), eb('a.uuid', '>', a.uuid)]),
      ]),
    );
  }
  return q.orderBy('a.created').orderBy('a.uuid').limit(limit).execute();
}

/**
 * Moves those of `uuids` still in state `from` to the given fields, in one statement; returns the
 * rows it changed (a row changed meanwhile by someone else is left out).
 */
export async function transitionMany(
  db: Executor,
  uuids: string[],
  from: AssignmentState,
  fields: AssignmentUpdate,
): Promise<AssignmentRow[]> {
  if (uuids.length === 0) return [];
  return db
    .updateTable('learner_content_assignments')
    .set(fields)
    .where('uuid', 'in', uuids)
    .where('state', '=', from)
    .returningAll()
    .execute();
}

/** Gives each of many assignments its own email, in one statement (the PII scrub). */
export async function setEmails(
  db: Executor,
  emails: Array<{ uuid: string; email: string }>,
  modified: Date,
): Promise<number> {
  if (emails.length === 0) return 0;
  const values = sql.join(emails.map((e) => sql`(${e.uuid}::uuid, ${e.email}::text)`));
  await sql`update learner_content_assignments a set learner_email = v.email, modified = ${modified}
    from (values ${values}) as v(uuid, email) where a.uuid = v.uuid`.execute(db);
  return emails.length;
}

/** The assignment a redemption's transaction accepted, if any. */
export async function getByTransaction(
  db: Executor,
  transactionUuid: string,
): Promise<AssignmentRow | undefined> {
  return db
    .selectFrom('learner_content_assignments')
    .selectAll()
    .where('transaction_uuid', '=', transactionUuid)
    .executeTakeFirst();
}

/** Accepted assignments with a transaction, by uuid, after `afterUuid` (the reversal sweep). */
export async function acceptedWithTransactionPage(
  db: Executor,
  afterUuid: string | null,
  limit: number,
): Promise<Array<Pick<AssignmentRow, 'uuid' | 'transaction_uuid'>>> {
  let q = db
    .selectFrom('learner_content_assignments')
    .select(['uuid', 'transaction_uuid'])
    .where('state', '=', 'accepted')
    .where('transaction_uuid', 'is not', null);
  if (afterUuid) q = q.where('uuid', '>', afterUuid);
  return q.orderBy('uuid').limit(limit).execute();
}

/** Accepted assignments with a preferred run, of active configurations (what the nudge job looks at). */
export async function acceptedWithPreferredRun(db: Executor): Promise<AssignmentRow[]> {
  return db
    .selectFrom('learner_content_assignments as a')
    .innerJoin('assignment_configurations as c', 'c.uuid', 'a.assignment_configuration_uuid')
    .selectAll('a')
    .where('c.active', '=', true)
    .where('a.state', '=', 'accepted')
    .where('a.preferred_course_run_key', 'is not', null)
    .orderBy('a.created')
    .execute();
}
