import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import type { Db } from '../../../database.js';
import { getCoursesByUuids, listCourses } from '../courses.repository.js';
import { listPrograms } from '../programs.repository.js';

// The convention (src/db/in-list.ts): an empty list in a filter selects nothing, as `false`;
// a read whose whole answer is empty for an empty list sends no statement.
describe('catalog reads of an empty list', () => {
  let db: Db;
  const statements: string[] = [];
  const page = { offset: 0, limit: 20 };
  beforeAll(async () => {
    db = await memoryDb({ onQuery: (text) => statements.push(text) });
    const type = await db.kysely.selectFrom('catalog_program_types').select('uuid').executeTakeFirstOrThrow();
    const now = new Date('2026-01-01T00:00:00Z');
    await db.kysely
      .insertInto('catalog_programs')
      .values({
        uuid: crypto.randomUUID(),
        title: 'Gone',
        program_type_uuid: type.uuid,
        status: 'deleted',
        created: now,
        modified: now,
      })
      .execute();
  });
  afterAll(() => db.close());

  it('lists no course for no keys, no uuids and no course type', async () => {
    expect(await listCourses(db.kysely, { keys: [] }, page)).toEqual({ count: 0, rows: [] });
    expect(await listCourses(db.kysely, { uuids: [] }, page)).toEqual({ count: 0, rows: [] });
    expect(await listCourses(db.kysely, { courseTypeUuids: [] }, page)).toEqual({ count: 0, rows: [] });
  });

  it('lists no program for no statuses, not the deleted ones', async () => {
    expect((await listPrograms(db.kysely, {}, page)).count).toBe(1);
    expect(await listPrograms(db.kysely, { statuses: [] }, page)).toEqual({ count: 0, rows: [] });
  });

  it('reads no course by no uuids without a statement', async () => {
    statements.length = 0;
    expect(await getCoursesByUuids(db.kysely, [])).toEqual([]);
    expect(statements).toEqual([]);
  });
});
