import { LOCK_ORDER, LOCKED_UNDER } from '../../src/modules/ledger/index.js';

/**
 * Checks recorded SQL against the one lock order of src/modules/ledger/lock-order.ts, for tests
 * that record the statements of a money path (openPglite's `onQuery`).
 */

/**
 * The row locks of one statement: `select ... for update` locks rows of its first table, an
 * `update` rows of its target. Inserts lock only their new rows, which no one else can hold.
 */
export function lockedTable(statement: string): string | null {
  const target = /^\s*update\s+"(\w+)"/i.exec(statement);
  if (target) return target[1] ?? null;
  if (/^\s*select\b/i.test(statement) && /\bfor update\b/i.test(statement))
    return /\bfrom\s+"(\w+)"/i.exec(statement)?.[1] ?? null;
  return null;
}

/**
 * What is wrong with the locks a path took, in the order it took them: a table missing from
 * LOCK_ORDER and LOCKED_UNDER, a table of LOCK_ORDER first locked after a later one (relocking a
 * held row is harmless, so only the first lock of each table counts), or a table of LOCKED_UNDER
 * locked before the lock that guards it. Empty when the path keeps the one order.
 */
export function lockOrderViolations(statements: string[]): string[] {
  const order: readonly string[] = LOCK_ORDER;
  const guards: Record<string, string> = LOCKED_UNDER;
  const taken: string[] = [];
  const violations: string[] = [];
  for (const table of statements.map(lockedTable)) {
    if (!table || taken.includes(table)) continue;
    if (order.includes(table)) {
      const later = taken.find((t) => order.includes(t) && order.indexOf(t) > order.indexOf(table));
      if (later) violations.push(`${table} locked after ${later}`);
    } else if (table in guards) {
      if (!taken.includes(guards[table] as string))
        violations.push(`${table} locked without holding ${guards[table]}`);
    } else {
      violations.push(`${table} is locked but has no place in LOCK_ORDER`);
    }
    taken.push(table);
  }
  return violations;
}

/**
 * Records the SQL of a database (pass `onQuery` to `memoryDb`) while `locksOf(act)` runs `act`, and
 * returns the locks it took: the first lock of each table of LOCK_ORDER, in the order taken (the
 * path's place in the order), and what is wrong with them.
 */
export function lockRecorder() {
  let recording = false;
  const statements: string[] = [];
  /** The statements `act` runs, in order. */
  const statementsOf = async (act: () => Promise<unknown>): Promise<string[]> => {
    statements.length = 0;
    recording = true;
    try {
      await act();
    } finally {
      recording = false;
    }
    return [...statements];
  };
  return {
    onQuery: (sql: string) => {
      if (recording) statements.push(sql);
    },
    statementsOf,
    async locksOf(act: () => Promise<unknown>): Promise<{ locks: string[]; violations: string[] }> {
      await statementsOf(act);
      const order: readonly string[] = LOCK_ORDER;
      const locks = [
        ...new Set(statements.map(lockedTable).filter((x): x is string => x !== null && order.includes(x))),
      ];
      return { locks, violations: lockOrderViolations(statements) };
    },
  };
}
