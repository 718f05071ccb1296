import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { memoryDb, testApp } from '../support/app.js';
import { createPgDatabase, describePg } from '../support/postgres.js';

async function countOutbox(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const row = (uuid: string, key: string | null = null) => ({
  uuid,
  idempotency_key: key,
  template: 'test',
  to_address: 'a@example.com',
  context: '{}',
  subject: 's',
  text_body: 't',
  html_body: 'h',
  next_attempt_at: new Date(),
  created: new Date(),
  modified: new Date(),
});

/** What must hold on both dialects. */
function behavesLikeADatabase(open: () => Promise<{ db: Db; close(): Promise<void> }>) {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterAll(() => close());

  it('commits a transaction that resolves', async () => {
    const before = await countOutbox(db);
    await db.transaction((trx) => trx.insertInto('outbox').values(row(crypto.randomUUID())).execute());
    expect(await countOutbox(db)).toBe(before + 1);
  });

  it('leaves no row behind when a transaction throws half-way', async () => {
    const before = await countOutbox(db);
    await expect(
      db.transaction(async (trx) => {
        await trx.insertInto('outbox').values(row(crypto.randomUUID())).execute();
        throw new Error('second step failed');
      }),
    ).rejects.toThrow('second step failed');
    expect(await countOutbox(db)).toBe(before);
  });

  it('locks rows with FOR UPDATE', async () => {
    const uuid = crypto.randomUUID();
    await db.kysely.insertInto('outbox').values(row(uuid)).execute();
    const locked = await db.transaction((trx) =>
      trx.selectFrom('outbox').select('uuid').where('uuid', '=', uuid).forUpdate().executeTakeFirst(),
    );
    expect(locked?.uuid).toBe(uuid);
  });

  it('enforces unique constraints in the database', async () => {
    await db.kysely.insertInto('outbox').values(row(crypto.randomUUID(), 'once')).execute();
    await expect(
      db.kysely.insertInto('outbox').values(row(crypto.randomUUID(), 'once')).execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });

  it('runs a job only once at a time and says when it did not run', async () => {
    let release!: () => void;
    const first = db.exclusive('test-job', () => new Promise<string>((r) => (release = () => r('done'))));
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.exclusive('test-job', async () => 'second')).toEqual({ ran: false });
    expect(await db.exclusive('other-job', async () => 'other')).toEqual({ ran: true, value: 'other' });
    release();
    expect(await first).toEqual({ ran: true, value: 'done' });
    expect(await db.exclusive('test-job', async () => 'again')).toEqual({ ran: true, value: 'again' });
  });

  it('re-running migrations applies nothing', async () => {
    expect((await migrateToLatest(db)).applied).toEqual([]);
  });
}

describe('database on PGlite', () => {
  behavesLikeADatabase(async () => {
    const db = await memoryDb();
    return { db, close: () => db.close() };
  });

  it('fails fast, naming the mistake, when a query skips the transaction handle', async () => {
    const db = await memoryDb();
    await expect(
      db.transaction(async () => {
        await db.kysely.selectFrom('outbox').selectAll().execute();
      }),
    ).rejects.toThrow(/use the transaction handle/);
    // The connection is released: the database still answers.
    await db.ping();
    await db.close();
  });
});

describePg('database', () => {
  behavesLikeADatabase(async () => {
    const pg = await createPgDatabase();
    return { db: pg.db, close: () => pg.drop() };
  });

  it('serializes two transactions that lock the same row: the second sees the first write', async () => {
    const pg = await createPgDatabase();
    try {
      const uuid = crypto.randomUUID();
      await pg.db.kysely.insertInto('outbox').values(row(uuid)).execute();
      // Each transaction reads `attempts` under FOR UPDATE and writes it back plus one. Without the
      // lock both would read 0 and the result would be 1.
      const bump = (holdMs: number) =>
        pg.db.transaction(async (trx) => {
          const r = await trx
            .selectFrom('outbox')
            .select('attempts')
            .where('uuid', '=', uuid)
            .forUpdate()
            .executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, holdMs));
          await trx
            .updateTable('outbox')
            .set({ attempts: r.attempts + 1 })
            .where('uuid', '=', uuid)
            .execute();
          return r.attempts;
        });
      const seen = await Promise.all([bump(200), bump(0), bump(0), bump(0)]);
      expect(seen.sort()).toEqual([0, 1, 2, 3]);
      const final = await pg.db.kysely
        .selectFrom('outbox')
        .select('attempts')
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      expect(final?.attempts).toBe(4);
    } finally {
      await pg.drop();
    }
  });

  it('holds a job lock across processes (two connection pools on one database)', async () => {
    const pg = await createPgDatabase();
    const { openPostgres } = await import('../../src/database.js');
    const other = openPostgres(pg.url, 2);
    try {
      let release!: () => void;
      const first = pg.db.exclusive('sweep', () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 100));
      expect(await other.exclusive('sweep', async () => 1)).toEqual({ ran: false });
      release();
      await first;
      expect(await other.exclusive('sweep', async () => 2)).toEqual({ ran: true, value: 2 });
    } finally {
      await other.close();
      await pg.drop();
    }
  });

  it('after a lost connection, a transaction throws the error that lost it, not the failed ROLLBACK', async () => {
    const pg = await createPgDatabase({ poolSize: 2 });
    try {
      let lost: unknown;
      const thrown = await pg.db
        .transaction(async (trx) => {
          await trx.insertInto('outbox').values(row(crypto.randomUUID())).execute();
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // Another session ends this one mid-transaction, as a failover or an operator would.
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(pg.db.kysely);
          try {
            await trx.selectFrom('outbox').select('uuid').execute();
          } catch (err) {
            lost = err;
            throw err;
          }
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(lost).toBeInstanceOf(Error);
      expect(thrown).toBe(lost);
      expect((thrown as Error).message).toMatch(/terminat|not queryable/);
      // The ROLLBACK that could not be sent (socket reset or closed) is kept beside it, for the log.
      const rollbackError = (thrown as { rollbackError?: unknown }).rollbackError;
      expect(rollbackError).toBeInstanceOf(Error);
      expect(rollbackError).not.toBe(lost);
      // The dead connection was dropped, not pooled: the next transactions work.
      for (let i = 0; i < 3; i++) await pg.db.transaction((trx) => sql`select 1`.execute(trx));
    } finally {
      await pg.drop();
    }
  });

  it('cancels a statement past DATABASE_TIMEOUT_MS on the server and keeps the connection', async () => {
    const pg = await createPgDatabase({ migrate: false });
    const { openPostgres } = await import('../../src/database.js');
    const db = openPostgres(pg.url, 1, { timeoutMs: 1_000 });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely)).rows[0]?.pid;
      const before = await pid();
      const started = Date.now();
      await expect(sql`select pg_sleep(5)`.execute(db.kysely)).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await pid()).toBe(before);
    } finally {
      await db.close();
      await pg.drop();
    }
  });

  it("bounds a request's database work by its budget, and drops a connection whose answer did not come", async () => {
    const pg = await createPgDatabase({ migrate: false });
    const { openPostgres } = await import('../../src/database.js');
    const { runInRequest } = await import('../../src/db/database-time.js');
    const db = openPostgres(pg.url, 1, { timeoutMs: 2_000 });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely)).rows[0]?.pid;
      const before = await pid();
      // A request that arrived 1.5 s ago has 0.5 s left: less than the server's own statement
      // timeout, so the client gives up first and the busy connection must not be pooled again.
      const started = Date.now();
      const late = runInRequest(performance.now() - 1_500, () => sql`select pg_sleep(3)`.execute(db.kysely));
      await expect(late).rejects.toMatchObject({ code: 'CAMPUS_DATABASE_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await pid()).not.toBe(before);
      // A request that has used up its budget does not wait at all.
      const spent = runInRequest(performance.now() - 2_000, () =>
        db.transaction((trx) => sql`select 1`.execute(trx)),
      );
      await expect(spent).rejects.toMatchObject({ code: 'CAMPUS_DATABASE_TIMEOUT' });
      await db.ping();
    } finally {
      await db.close();
      await pg.drop();
    }
  });

  it('builds the same schema as PGlite from the same migrations', async () => {
    const describeSchema = async (db: Db) => {
      const r = await sql<{ line: string }>`
        select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable as line
        from information_schema.columns where table_schema = 'public' order by 1`.execute(db.kysely);
      return r.rows.map((x) => x.line);
    };
    const lite = await memoryDb();
    const pg = await createPgDatabase();
    try {
      expect(await describeSchema(pg.db)).toEqual(await describeSchema(lite));
    } finally {
      await lite.close();
      await pg.drop();
    }
  });

  it('serves /healthz and /openapi.json on PostgreSQL', async () => {
    const pg = await createPgDatabase();
    const t = await testApp({ db: pg.db });
    try {
      expect((await t.request({ method: 'GET', url: '/healthz' })).json()).toEqual({
        status: 'ok',
        database: 'ok',
        dialect: 'postgres',
      });
      expect((await t.request({ method: 'GET', url: '/openapi.json' })).json().openapi).toBe('3.1.0');
    } finally {
      await t.app.close();
      await pg.drop();
    }
  });
});
