import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../context.js';
import { getWorkflow, listWorkflows, resumeWorkflow, startWorkflow, WorkflowFailed } from '../index.js';
import { engineContext, recipe, records, system } from './fixtures.js';

describe('workflow engine', () => {
  let ctx: AppContext;
  beforeEach(async () => {
    ctx = await engineContext();
  });
  afterEach(() => ctx.db.close());

  const input = { name: 'x', suffix: 'y' };

  it('runs the steps in order, hands each the outputs before it, and stores every input and output', async () => {
    const sut = recipe();
    const { workflow, outputs } = await startWorkflow(ctx, sut.workflow, input, { actor: system });

    expect(workflow.state).toBe('succeeded');
    const made = `made by ${workflow.uuid}`;
    expect(outputs.get(sut.steps.c)).toEqual({ both: [made, made] });
    expect(workflow.output).toEqual({ a: { record: made }, b: { record: made }, c: { both: [made, made] } });
    const stored = await getWorkflow(ctx.db.kysely, workflow.uuid);
    expect(stored?.workflow.input).toEqual(input);
    expect(stored?.steps.map((s) => [s.step_id, s.state, s.input, s.attempts])).toEqual([
      ['a', 'succeeded', { name: 'x' }, 1],
      ['b', 'succeeded', { suffix: 'y' }, 1],
      ['c', 'succeeded', {}, 1],
    ]);
    expect(stored?.steps.every((s) => s.succeeded_at && s.started_at && !s.failed_at)).toBe(true);
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('stops at a failing step, leaving the workflow failed with its message and the step rolled back', async () => {
    const sut = recipe();
    sut.throwIn.add('b');
    const err = await startWorkflow(ctx, sut.workflow, input, { actor: system }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(WorkflowFailed);
    const uuid = (err as WorkflowFailed).workflowUuid;
    const stored = await getWorkflow(ctx.db.kysely, uuid);
    expect(stored?.workflow).toMatchObject({
      state: 'failed',
      failed_step_id: 'b',
      error_message: 'b refused',
    });
    expect(stored?.workflow.failed_at).not.toBeNull();
    expect(stored?.steps.map((s) => [s.step_id, s.state, s.error_message, s.attempts])).toEqual([
      ['a', 'succeeded', null, 1],
      ['b', 'failed', 'b refused', 1],
      ['c', 'pending', null, 0],
    ]);
    // B wrote its record before throwing: the step's transaction took it back.
    expect((await records(ctx)).map((r) => r.name)).toEqual(['x-a']);
  });

  it('resumes a failed workflow from the failed step, reusing the outputs of the steps that succeeded', async () => {
    const sut = recipe();
    let failures = 1;
    const faults = { failBefore: (id: string) => id === 'b' && failures-- > 0 };
    const err = await startWorkflow(ctx, sut.workflow, input, { actor: system, faults }).catch(
      (e: unknown) => e,
    );
    const uuid = (err as WorkflowFailed).workflowUuid;
    expect((err as WorkflowFailed).message).toBe('injected failure before step b');
    expect(sut.calls).toEqual({ a: 1, b: 0, c: 0 });

    const { workflow } = await resumeWorkflow(ctx, sut.workflow, uuid, { actor: system, faults });

    expect(workflow.state).toBe('succeeded');
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
    expect(await records(ctx)).toHaveLength(2);
    const stored = await getWorkflow(ctx.db.kysely, uuid);
    const b = stored?.steps.find((s) => s.step_id === 'b');
    // Retried with the input stored at the start; the last failure stays on record.
    expect(b).toMatchObject({
      state: 'succeeded',
      input: { suffix: 'y' },
      attempts: 2,
      error_message: expect.any(String),
    });
    expect(stored?.workflow.attempts).toBe(2);
  });

  it('answers a succeeded workflow with its stored output and runs nothing', async () => {
    const sut = recipe();
    const first = await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'k1' });
    const again = await resumeWorkflow(ctx, sut.workflow, first.workflow.uuid, { actor: system });
    const startedAgain = await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'k1' });

    expect(again.workflow).toEqual(first.workflow);
    expect(startedAgain.workflow).toEqual(first.workflow);
    expect(startedAgain.outputs.get(sut.steps.c)).toEqual(first.outputs.get(sut.steps.c));
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('resumes a run that stopped between steps (a killed process) without redoing the finished ones', async () => {
    const sut = recipe();
    const killed = await startWorkflow(ctx, sut.workflow, input, {
      actor: system,
      onProgress: (e) => {
        if (e.stepId === 'c' && e.status === 'running') throw new Error('killed');
      },
    }).catch((e: unknown) => e);
    expect((killed as Error).message).toBe('killed');
    const [running] = (await listWorkflows(ctx.db.kysely, { state: 'running', offset: 0, limit: 10 })).rows;
    expect(running?.state).toBe('running');

    const { workflow } = await resumeWorkflow(ctx, sut.workflow, running?.uuid ?? '', { actor: system });
    expect(workflow.state).toBe('succeeded');
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('converges concurrent starts with one key on one workflow whose steps each run once', async () => {
    const sut = recipe();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'same' }),
      ),
    );
    expect(new Set(results.map((r) => r.workflow.uuid)).size).toBe(1);
    expect(sut.calls).toEqual({ a: 1, b: 1, c: 1 });
    expect((await listWorkflows(ctx.db.kysely, { offset: 0, limit: 10 })).count).toBe(1);
  });

  it('refuses another input under the key of a live workflow, and lets it replace a failed one', async () => {
    const sut = recipe();
    const done = await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'k' });
    const conflict = await startWorkflow(
      ctx,
      sut.workflow,
      { ...input, suffix: 'z' },
      { actor: system, key: 'k' },
    ).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, errorCode: 'workflow_key_conflict' });

    sut.throwIn.add('a');
    const failed = (await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'f' }).catch(
      (e: unknown) => e,
    )) as WorkflowFailed;
    sut.throwIn.clear();
    const replaced = await startWorkflow(
      ctx,
      sut.workflow,
      { ...input, suffix: 'w' },
      { actor: system, key: 'f' },
    );
    expect(replaced.workflow.uuid).not.toBe(failed.workflowUuid);
    expect(replaced.workflow.key).toBe('f');
    expect((await getWorkflow(ctx.db.kysely, failed.workflowUuid))?.workflow.key).toBeNull();
    expect(done.workflow.key).toBe('k');
  });

  it('lists workflows by state, newest first, with a count', async () => {
    const sut = recipe();
    await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'one' });
    sut.throwIn.add('c');
    await startWorkflow(ctx, sut.workflow, input, { actor: system, key: 'two' }).catch(() => undefined);

    const failed = await listWorkflows(ctx.db.kysely, { state: 'failed', offset: 0, limit: 10 });
    const all = await listWorkflows(ctx.db.kysely, { type: 'engine-test', offset: 0, limit: 1 });
    expect(failed.rows.map((w) => w.key)).toEqual(['two']);
    expect(all.count).toBe(2);
    expect(all.rows).toHaveLength(1);
  });

  it('refuses input that does not fit the workflow before writing anything', async () => {
    const sut = recipe();
    const err = await startWorkflow(ctx, sut.workflow, { name: 1 } as never, { actor: system }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 400, errorCode: 'validation_failed' });
    expect((await listWorkflows(ctx.db.kysely, { offset: 0, limit: 10 })).count).toBe(0);
  });
});
