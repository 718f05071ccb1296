import { sql } from 'kysely';
import type { Db } from '../../src/database.js';

/**
 * Tables whose rows are not Campus data and may change on any request, including refused ones:
 * the migrations' own bookkeeping, and the rate-limit windows, which count every call to a
 * limited route by design (a refused call still spends its caller's budget).
 */
export const BOOKKEEPING_TABLES = new Set([
  'kysely_migration',
  'kysely_migration_lock',
  'rate_limit_windows',
]);

export type Checksums = Map<string, string>;

/**
 * Detects whether anything in the database changed between two points, cheaply enough to check
 * after every request:
 *
 * - a change needs a committed transaction with a transaction id: when the next transaction id
 *   has not moved since the last point, or every id handed out since then belongs to a
 *   transaction that rolled back, nothing changed (one or two tiny queries);
 * - otherwise a checksum of every table (all tables of schema public but the bookkeeping ones:
 *   row count and the sum of a 64-bit hash of each row's text, in one query) says which tables,
 *   if any, now hold different rows.
 */
export class ChangeDetector {
  private tables: string[] = [];
  private xid = '';
  private sums: Checksums = new Map();

  private constructor(private readonly db: Db) {}

  static async start(db: Db): Promise<ChangeDetector> {
    const detector = new ChangeDetector(db);
    await detector.reset();
    return detector;
  }

  /** Takes the current state as the new reference point (after a change that was allowed). */
  async reset(): Promise<void> {
    const rows = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(
      this.db.kysely,
    );
    this.tables = rows.rows.map((r) => r.table_name).filter((name) => !BOOKKEEPING_TABLES.has(name));
    this.xid = await this.nextXid();
    this.sums = await this.checksums();
  }

  /**
   * The tables whose rows differ from the reference point ([] when nothing changed). The state
   * now becomes the reference point, so that each call reports what happened since the last one.
   */
  async changedTables(): Promise<string[]> {
    const xid = await this.nextXid();
    if (xid === this.xid) return [];
    const committed = await this.anyCommitted(this.xid, xid);
    this.xid = xid;
    if (!committed) return [];
    const sums = await this.checksums();
    const changed = [...new Set([...sums.keys(), ...this.sums.keys()])].filter(
      (table) => sums.get(table) !== this.sums.get(table),
    );
    this.sums = sums;
    return changed;
  }

  /** The tables whose rows differ from the last reference point, recomputed in full whatever the transaction id says (a check of the cheap path). */
  async driftSinceLastPoint(): Promise<string[]> {
    const sums = await this.checksums();
    return [...sums.keys()].filter((table) => sums.get(table) !== this.sums.get(table));
  }

  private async nextXid(): Promise<string> {
    const row = await sql<{
      xid: string;
    }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`.execute(this.db.kysely);
    return row.rows[0]?.xid ?? '';
  }

  private async anyCommitted(from: string, to: string): Promise<boolean> {
    const row = await sql<{ committed: boolean }>`
      select exists (
        select 1 from generate_series(${from}::bigint, ${to}::bigint - 1) x
        where pg_xact_status(x::text::xid8) = 'committed'
      ) as committed`.execute(this.db.kysely);
    return row.rows[0]?.committed ?? true;
  }

  private async checksums(): Promise<Checksums> {
    if (this.tables.length === 0) return new Map();
    const parts = this.tables.map(
      (table) =>
        sql`select ${table}::text as name, count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) as sum from ${sql.table(table)} t`,
    );
    const rows = await sql<{ name: string; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(
      this.db.kysely,
    );
    return new Map(rows.rows.map((r) => [r.name, r.sum]));
  }
}
