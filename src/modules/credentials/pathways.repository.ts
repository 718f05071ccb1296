import type { Executor } from '../../database.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { PathwayRow, PathwayStatus, PathwayType } from './schema.js';

export interface PathwayFields {
  name: string;
  org_name: string;
  email: string;
  destination_url: string | null;
  description: string | null;
  pathway_type: PathwayType;
  status: PathwayStatus;
}

export async function getByUuid(db: Executor, uuid: string): Promise<PathwayRow | undefined> {
  return db.selectFrom('credit_pathways').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** A page of the pathways, oldest first, and their number. */
export async function list(db: Executor, window: PageWindow): Promise<Paged<PathwayRow>> {
  return paged(
    db,
    db.selectFrom('credit_pathways'),
    (q) => q.selectAll().orderBy('created').orderBy('uuid'),
    window,
  );
}

export async function insert(
  db: Executor,
  row: PathwayFields & { uuid: string; now: Date },
): Promise<PathwayRow> {
  const { now, ...values } = row;
  return db
    .insertInto('credit_pathways')
    .values({ ...values, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  patch: Partial<PathwayFields>,
  now: Date,
): Promise<PathwayRow> {
  return db
    .updateTable('credit_pathways')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function remove(db: Executor, uuid: string): Promise<void> {
  await db.deleteFrom('credit_pathways').where('uuid', '=', uuid).execute();
}

export async function programsOf(
  db: Executor,
  pathwayUuids: string[],
): Promise<{ pathway_uuid: string; program_uuid: string }[]> {
  if (pathwayUuids.length === 0) return [];
  return db
    .selectFrom('credit_pathway_programs')
    .select(['pathway_uuid', 'program_uuid'])
    .where('pathway_uuid', 'in', pathwayUuids)
    .orderBy('pathway_uuid')
    .orderBy('position')
    .execute();
}

export async function deletePrograms(db: Executor, pathwayUuid: string): Promise<void> {
  await db.deleteFrom('credit_pathway_programs').where('pathway_uuid', '=', pathwayUuid).execute();
}

export async function insertPrograms(
  db: Executor,
  pathwayUuid: string,
  programUuids: string[],
): Promise<void> {
  if (programUuids.length === 0) return;
  await db
    .insertInto('credit_pathway_programs')
    .values(programUuids.map((p, position) => ({ pathway_uuid: pathwayUuid, program_uuid: p, position })))
    .execute();
}

/** The pathways linked to a program, in creation order. */
export async function pathwaysOfProgram(db: Executor, programUuid: string): Promise<PathwayRow[]> {
  return db
    .selectFrom('credit_pathways as p')
    .innerJoin('credit_pathway_programs as pp', 'pp.pathway_uuid', 'p.uuid')
    .selectAll('p')
    .where('pp.program_uuid', '=', programUuid)
    .orderBy('p.created')
    .execute();
}
