import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPglite } from '../../src/db/db.js';
import { paged } from '../../src/db/paged.js';

interface Tables {
  items: { id: number; grp: number };
}

// 25 items in groups 0, 1, 2 (id mod 3): ordered by group, many rows tie; id breaks the ties.
const IDS = Array.from({ length: 25 }, (_, i) => i + 1);

describe('paged()', () => {
  let db: Db<Tables>;
  const statements: string[] = [];
  beforeAll(async () => {
    db = await openPglite<Tables>('memory://', { onQuery: (text) => statements.push(text) });
    await sql`create table items (id int primary key, grp int not null)`.execute(db.kysely);
    await db.kysely
      .insertInto('items')
      .values(IDS.map((id) => ({ id, grp: id % 3 })))
      .execute();
  });
  afterAll(() => db.close());

  const byGroup = () => db.kysely.selectFrom('items');
  const ordered = (q: ReturnType<typeof byGroup>) => q.select(['id', 'grp']).orderBy('grp').orderBy('id');

  it('answers the filter’s full count with one window of its rows', async () => {
    const sut = await paged(db.kysely, byGroup().where('grp', '=', 1), ordered, { offset: 2, limit: 3 });
    expect(sut.count).toBe(IDS.filter((id) => id % 3 === 1).length);
    expect(sut.rows.map((r) => r.id)).toEqual([7, 10, 13]);
  });

  it('gives no rows but the full count for an offset past the end', async () => {
    const sut = await paged(db.kysely, byGroup(), ordered, { offset: 25, limit: 10 });
    expect(sut).toEqual({ count: 25, rows: [] });
  });

  it('pages through rows tied on the sort key each exactly once, in order', async () => {
    const seen: number[] = [];
    for (let offset = 0; offset < 25; offset += 4) {
      const page = await paged(db.kysely, byGroup(), ordered, { offset, limit: 4 });
      expect(page.count).toBe(25);
      seen.push(...page.rows.map((r) => r.id));
    }
    const expected = [...IDS].sort((a, b) => (a % 3) - (b % 3) || a - b);
    expect(seen).toEqual(expected);
  });

  it('takes a count the caller already has and does not count', async () => {
    statements.length = 0;
    const sut = await paged(
      db.kysely,
      byGroup(),
      ordered,
      { offset: 0, limit: 2 },
      { count: async () => 1234 },
    );
    expect(sut.count).toBe(1234);
    expect(sut.rows.map((r) => r.id)).toEqual([3, 6]);
    expect(statements.some((s) => s.includes('count(*)'))).toBe(false);
  });

  it('asks for the page only after the count in a transaction, at once on the root handle', async () => {
    const order = async (run: (count: () => Promise<number>) => Promise<unknown>) => {
      const events: string[] = [];
      statements.length = 0;
      await run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const pages = statements.filter((s) => s.startsWith('select "id"')).length;
        events.push(`count done, ${pages} page(s) read`);
        return 25;
      });
      return events;
    };
    const root = await order((count) =>
      paged(db.kysely, byGroup(), ordered, { offset: 0, limit: 5 }, { count }),
    );
    const inTransaction = await order((count) =>
      db.transaction((trx) =>
        paged(trx, trx.selectFrom('items'), ordered, { offset: 0, limit: 5 }, { count }),
      ),
    );
    expect(root).toEqual(['count done, 1 page(s) read']);
    expect(inTransaction).toEqual(['count done, 0 page(s) read']);
  });
});
