import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Db, Trx } from '../../database.js';

/**
 * The app context with its database bound to one open transaction, so that a step calls the
 * ordinary services (which take `ctx` and may open their own transaction) and they all write in
 * the step's transaction, with the step's bookkeeping. A nested `transaction()` is a savepoint:
 * a service that catches its own failure (a lost insert race) finds the transaction still usable.
 * Isolation levels asked for by a nested transaction cannot apply and are ignored.
 */
export function bindToTransaction(ctx: AppContext, trx: Trx): AppContext {
  let savepoints = 0;
  const db: Db = {
    kysely: trx,
    dialect: ctx.db.dialect,
    async transaction(fn) {
      const name = sql.id(`workflow_step_${++savepoints}`);
      await sql`savepoint ${name}`.execute(trx);
      try {
        const result = await fn(trx);
        await sql`release savepoint ${name}`.execute(trx);
        return result;
      } catch (err) {
        await sql`rollback to savepoint ${name}`.execute(trx);
        throw err;
      }
    },
    exclusive: (name, fn) => ctx.db.exclusive(name, fn),
    async ping() {
      await sql`select 1`.execute(trx);
    },
    async close() {
      throw new Error('a step cannot close the database');
    },
  };
  return { ...ctx, db };
}
