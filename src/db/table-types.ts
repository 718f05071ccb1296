import type { ColumnType, InsertType, SelectType, UpdateType } from 'kysely';

/**
 * Table types come from the migrations: `npm run db:types` (scripts/table-types.ts) migrates an
 * empty database and writes each owner's `tables.generated.ts`, one interface per table with the
 * columns as the database has them. A module's `schema.ts` builds on those and writes by hand only
 * what it narrows on purpose (a state union, a JSON shape). `Refines` checks that every such
 * narrowing still fits the column under it, so a migration that changes a refined column's type,
 * nullability or default fails `tsc` in that schema.ts:
 *
 *   export type LedgerRefinementsHold = Holds<Refines<LedgerTableColumns, LedgerTables>>;
 */

type Fits<Narrow, Wide> = [Narrow] extends [Wide] ? true : false;
/** What an insert may give: Kysely makes a nullable column optional, as if it had a default. */
type Insert<T> = InsertType<T> | (null extends InsertType<T> ? undefined : never);
/** What an update may give: every column of an update is optional. */
type Update<T> = UpdateType<T> | undefined;
/** Whether the column may read as null; a JSON column reads as `unknown`, so its insert type tells. */
type MayBeNull<T> =
  unknown extends SelectType<T>
    ? null extends InsertType<T>
      ? true
      : false
    : null extends SelectType<T>
      ? true
      : false;

/** What is wrong with one column of `Hand` against the generated `Gen`, as a sentence; `never` when nothing is. */
type ColumnProblem<Gen, Hand, Where extends string, NeverNull extends string> =
  Fits<SelectType<Hand>, SelectType<Gen>> extends false
    ? `${Where}: the refined select type does not fit the database's`
    : [MayBeNull<Gen>, MayBeNull<Hand>, Where extends NeverNull ? true : false] extends [true, false, false]
      ? `${Where}: the database may hold null here, the refinement says it never does`
      : Fits<Insert<Hand>, Insert<Gen>> extends false
        ? `${Where}: the refined insert type does not fit the database's (a default or null it no longer has?)`
        : Fits<Update<Hand>, Update<Gen>> extends false
          ? `${Where}: the refined update type does not fit the database's`
          : never;

type TableProblems<Gen, Hand, Table extends string, NeverNull extends string> = {
  [C in keyof Gen | keyof Hand]: C extends string
    ? C extends keyof Gen
      ? C extends keyof Hand
        ? ColumnProblem<Gen[C], Hand[C], `${Table}.${C}`, NeverNull>
        : `${Table}.${C}: a column of the database the hand-written table lacks`
      : `${Table}.${C}: no such column in the database (dropped by a migration?)`
    : never;
}[keyof Gen | keyof Hand];

type Problems<Gen, Hand, NeverNull extends string> = {
  [T in keyof Gen | keyof Hand]: T extends string
    ? T extends keyof Gen
      ? T extends keyof Hand
        ? TableProblems<Gen[T], Hand[T], T, NeverNull>
        : `${T}: owned (OWNED_TABLES) but missing from the module's tables`
      : `${T}: not among the tables the module owns (OWNED_TABLES) and the migrations make`
    : never;
}[keyof Gen | keyof Hand];

/**
 * `true` when the tables `Hand` (a module's `<Name>Tables`) are exactly the generated tables `Gen`,
 * column for column, each column's select, insert and update types fitting the database's and
 * null-free only where the database's column is; otherwise the union of what does not, one sentence
 * per column. `NeverNull` lists the `table.column`s that never hold null although the database
 * does not declare them `not null` (a generated column, say).
 */
export type Refines<Gen, Hand, NeverNull extends string = never> = Listed<Problems<Gen, Hand, NeverNull>>;
/** `true` for no problem; otherwise an object whose keys spell every problem out (tsc prints them all). */
type Listed<P extends string> = [P] extends [never] ? true : { [Problem in P]: false };

/**
 * A column every insert must give although the database has a default for it: a refinement that
 * keeps a caller from leaning on the default (`price_cents`, `active`, `is_active`).
 */
export type RequiredOnInsert<T> = ColumnType<T, T, T>;

/** Compiles only when `Check` is `true`; the error names what is not. */
export type Holds<Check extends true> = Check;
