import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPglite } from '../../src/db/db.js';
import { inList } from '../../src/db/in-list.js';

interface Tables {
  items: { id: number; name: string };
}

describe('inList()', () => {
  let db: Db<Tables>;
  beforeAll(async () => {
    db = await openPglite<Tables>('memory://');
    await sql`create table items (id int primary key, name text not null)`.execute(db.kysely);
    await db.kysely
      .insertInto('items')
      .values([
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c' },
      ])
      .execute();
  });
  afterAll(() => db.close());

  const ids = (names: string[], or?: number) =>
    db.kysely
      .selectFrom('items')
      .select('id')
      .where((eb) =>
        or === undefined ? inList(eb, 'name', names) : eb.or([eb('id', '=', or), inList(eb, 'name', names)]),
      )
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((r) => r.id));

  it('selects the rows whose column is in the list', async () => {
    expect(await ids(['a', 'c'])).toEqual([1, 3]);
  });

  it('selects nothing for an empty list, without an SQL error', async () => {
    expect(await ids([])).toEqual([]);
  });

  it('is false inside an or: the other branch still selects', async () => {
    expect(await ids([], 2)).toEqual([2]);
    expect(await ids(['a'], 2)).toEqual([1, 2]);
  });
});
