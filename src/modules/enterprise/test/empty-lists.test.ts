import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import type { Db } from '../../../database.js';
import * as catalogs from '../catalogs.repository.js';
import * as customers from '../customers.repository.js';
import * as groups from '../groups.repository.js';
import * as learners from '../learners.repository.js';

// The convention (src/db/in-list.ts): an empty list in a filter selects nothing, as `false`;
// a read whose whole answer is empty for an empty list sends no statement.
describe('enterprise reads of an empty list', () => {
  let db: Db;
  const statements: string[] = [];
  const page = { offset: 0, limit: 20 };
  beforeAll(async () => {
    db = await memoryDb({ onQuery: (text) => statements.push(text) });
  });
  afterAll(() => db.close());

  it('lists the catalogs and groups of no customer as nothing, without an SQL error', async () => {
    expect(await catalogs.list(db.kysely, [], undefined, page)).toEqual({ count: 0, rows: [] });
    expect(await groups.list(db.kysely, [], undefined, page)).toEqual({ count: 0, rows: [] });
  });

  it('lists for someone with no role only the customers they belong to', async () => {
    expect(await customers.list(db.kysely, { uuids: [], memberLmsUserId: 7 }, page)).toEqual({
      count: 0,
      rows: [],
    });
  });

  it('reads no learner by no ids without a statement', async () => {
    statements.length = 0;
    expect(await learners.getByIds(db.kysely, [])).toEqual([]);
    expect(statements).toEqual([]);
  });
});
