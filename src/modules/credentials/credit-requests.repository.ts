import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { CreditRequestRow } from './schema.js';

export async function get(
  db: Executor,
  learnerUuid: string,
  pathwayUuid: string,
  programUuid: string | null,
): Promise<CreditRequestRow | undefined> {
  return db
    .selectFrom('credit_requests')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('pathway_uuid', '=', pathwayUuid)
    .where('program_uuid', programUuid === null ? 'is' : '=', programUuid)
    .executeTakeFirst();
}

export async function insert(
  db: Executor,
  row: { uuid: string; learner_uuid: string; pathway_uuid: string; program_uuid: string | null; now: Date },
): Promise<CreditRequestRow> {
  return db
    .insertInto('credit_requests')
    .values({
      uuid: row.uuid,
      learner_uuid: row.learner_uuid,
      pathway_uuid: row.pathway_uuid,
      program_uuid: row.program_uuid,
      status: 'sent',
      request_count: 0,
      created: row.now,
      modified: row.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts one more request: status sent, program set (a legacy row gets its program), last_sent now. */
export async function recordSend(
  db: Executor,
  uuid: string,
  programUuid: string,
  now: Date,
): Promise<CreditRequestRow> {
  return db
    .updateTable('credit_requests')
    .set((eb) => ({
      status: 'sent',
      program_uuid: programUuid,
      request_count: eb('request_count', '+', 1),
      last_sent: now,
      modified: now,
    }))
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertSend(
  db: Executor,
  row: { uuid: string; credit_request_uuid: string; outbox_uuid: string; now: Date },
): Promise<void> {
  await db
    .insertInto('credit_request_sends')
    .values({
      uuid: row.uuid,
      credit_request_uuid: row.credit_request_uuid,
      outbox_uuid: row.outbox_uuid,
      sent_at: row.now,
      created: row.now,
      modified: row.now,
    })
    .execute();
}

/** A learner's requests for the pathways of one program (legacy rows without a program excluded). */
export async function ofLearnerAndProgram(
  db: Executor,
  learnerUuid: string,
  programUuid: string,
): Promise<CreditRequestRow[]> {
  return db
    .selectFrom('credit_requests')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('program_uuid', '=', programUuid)
    .execute();
}

export async function countForPathway(db: Executor, pathwayUuid: string): Promise<number> {
  const r = await db
    .selectFrom('credit_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pathway_uuid', '=', pathwayUuid)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface CreditRequestFilter {
  learnerUuid?: string;
  programUuid?: string;
  pathwayUuid?: string;
}

export type CreditRequestListRow = CreditRequestRow & { username: string; lms_user_id: number | null };

function filtered(db: Executor, f: CreditRequestFilter) {
  let q = db
    .selectFrom('credit_requests as r')
    .innerJoin('credential_learners as l', 'l.uuid', 'r.learner_uuid');
  if (f.learnerUuid) q = q.where('r.learner_uuid', '=', f.learnerUuid);
  if (f.programUuid) q = q.where('r.program_uuid', '=', f.programUuid);
  if (f.pathwayUuid) q = q.where('r.pathway_uuid', '=', f.pathwayUuid);
  return q;
}

/** A page of the filtered credit requests with their learner's username, oldest first, and their number. */
export async function list(
  db: Executor,
  f: CreditRequestFilter,
  window: PageWindow,
): Promise<Paged<CreditRequestListRow>> {
  return paged(
    db,
    filtered(db, f),
    (q) => q.selectAll('r').select(['l.username', 'l.lms_user_id']).orderBy('r.created').orderBy('r.uuid'),
    window,
  );
}
