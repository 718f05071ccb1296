import { sql } from 'kysely';
import pino from 'pino';
import { z } from 'zod';
import { memoryDb } from '../../../../test/support/app.js';
import { testConfig } from '../../../config.js';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../database.js';
import { FixedClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import type { Principal } from '../../../shared/principal.js';
import { createContext } from '../../../wiring.js';
import { defineStep, defineWorkflow, type StepContext, stepOf } from '../index.js';

export const system: Principal = { lmsUserId: 0, username: 'test', email: null, isStaff: true, grants: [] };

export async function engineContext(db?: Db): Promise<AppContext> {
  const ctx: AppContext = createContext({
    db: db ?? (await memoryDb()),
    config: testConfig(),
    clock: new FixedClock('2026-06-01T12:00:00Z'),
    ids: randomIds,
    log: pino({ level: 'silent' }),
  });
  // A table of the test's own, standing for the records a step gets or creates.
  await sql`create table if not exists engine_test_records (name text primary key, value text not null)`.execute(
    ctx.db.kysely,
  );
  return ctx;
}

/** Get-or-create of one record, as a real step does it. */
async function getOrCreate(ctx: StepContext, name: string, value: string): Promise<string> {
  await sql`insert into engine_test_records (name, value) values (${name}, ${value}) on conflict do nothing`.execute(
    ctx.trx,
  );
  const row = await sql<{
    value: string;
  }>`select value from engine_test_records where name = ${name}`.execute(ctx.trx);
  return row.rows[0]?.value ?? '';
}

export async function records(ctx: AppContext): Promise<Array<{ name: string; value: string }>> {
  const r = await sql<{
    name: string;
    value: string;
  }>`select * from engine_test_records order by name`.execute(ctx.db.kysely);
  return r.rows;
}

/**
 * A three-step recipe: A creates a record from its input, B one from A's output, C reads both.
 * `calls` counts each step's runs; `throwIn` makes a step throw after writing (rolled back).
 */
export function recipe(type = 'engine-test') {
  const calls = { a: 0, b: 0, c: 0 };
  const throwIn = new Set<string>();
  const maybeThrow = (id: string) => {
    if (throwIn.has(id)) throw new Error(`${id} refused`);
  };
  const a = defineStep({
    id: 'a',
    input: z.object({ name: z.string() }),
    output: z.object({ record: z.string() }),
    async run(ctx, input) {
      calls.a++;
      const record = await getOrCreate(ctx, `${input.name}-a`, `made by ${ctx.workflowUuid}`);
      maybeThrow('a');
      return { record };
    },
  });
  const b = defineStep({
    id: 'b',
    input: z.object({ suffix: z.string() }),
    output: z.object({ record: z.string() }),
    async run(ctx, input, previous) {
      calls.b++;
      const record = await getOrCreate(ctx, `b-${input.suffix}`, previous.get(a).record);
      maybeThrow('b');
      return { record };
    },
  });
  const c = defineStep({
    id: 'c',
    input: z.object({}),
    output: z.object({ both: z.array(z.string()) }),
    async run(_ctx, _input, previous) {
      calls.c++;
      maybeThrow('c');
      return { both: [previous.get(a).record, previous.get(b).record] };
    },
  });
  const input = z.object({ name: z.string(), suffix: z.string() });
  type Input = z.infer<typeof input>;
  const workflow = defineWorkflow({
    type,
    input,
    steps: [
      stepOf(a, (i: Input) => ({ name: i.name })),
      stepOf(b, (i: Input) => ({ suffix: i.suffix })),
      stepOf(c, () => ({})),
    ],
  });
  return { workflow, calls, throwIn, steps: { a, b, c } };
}
