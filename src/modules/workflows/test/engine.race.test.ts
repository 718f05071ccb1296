import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import type { AppContext } from '../../../context.js';
import { getWorkflow, resumeWorkflow, startWorkflow, type WorkflowFailed } from '../index.js';
import { engineContext, recipe, records, system } from './fixtures.js';

describePg('workflows run concurrently', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let ctx: AppContext;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    ctx = await engineContext(pg.db);
  });
  afterAll(() => pg.drop());

  it('converges 10 concurrent starts with one key on one workflow and runs each step once', async () => {
    const sut = recipe();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        startWorkflow(ctx, sut.workflow, { name: 'race', suffix: 'r' }, { actor: system, key: 'race' }),
      ),
    );
    expect(new Set(results.map((r) => r.workflow.uuid)).size).toBe(1);
    expect(results.every((r) => r.workflow.state === 'succeeded')).toBe(true);
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
    const stored = await getWorkflow(ctx.db.kysely, results[0]?.workflow.uuid ?? '');
    expect(stored?.steps.map((s) => s.attempts)).toEqual([1, 1, 1]);
  });

  it('lets 10 concurrent resumes of a failed workflow retry the failed step once', async () => {
    const sut = recipe();
    sut.throwIn.add('b');
    const err = (await startWorkflow(
      ctx,
      sut.workflow,
      { name: 'again', suffix: 's' },
      { actor: system },
    ).catch((e: unknown) => e)) as WorkflowFailed;
    sut.throwIn.clear();

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        resumeWorkflow(ctx, sut.workflow, err.workflowUuid, { actor: system }),
      ),
    );
    expect(results.every((r) => r.workflow.state === 'succeeded')).toBe(true);
    // One failed run of b, then exactly one more.
    expect(sut.calls).toEqual({ a: 1, b: 2, c: 1 });
    expect((await records(ctx)).filter((r) => r.name === 'again-a' || r.name === 'b-s')).toHaveLength(2);
  });
});
