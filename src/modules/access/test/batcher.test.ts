import { describe, expect, it } from 'vitest';
import { Batcher } from '../batcher.js';

/** A run that records its batches and answers each item with itself doubled, once released. */
function recorder() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const sut = new Batcher<number, number>(async (_key, items) => {
    batches.push(items);
    await new Promise<void>((release) => gates.push(release));
    if (items.includes(-1)) throw new Error('a batch that fails');
    return items.map((i) => i * 2);
  }, 3);
  const releaseNext = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { sut, batches, releaseNext };
}

describe('batcher (group commit)', () => {
  it('starts a lone item at once, and batches those that arrive while it runs', async () => {
    const { sut, batches, releaseNext } = recorder();
    const first = sut.submit('p', 1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => sut.submit('p', i));
    await releaseNext();
    await releaseNext();
    await releaseNext();
    expect(await first).toEqual({ value: 2 });
    expect(await Promise.all(rest)).toEqual([4, 6, 8, 10].map((value) => ({ value })));
    // At most three to a batch, in arrival order.
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    expect(sut.stats).toEqual({ batches: 3, items: 5, largest: 3, failed: 0 });
  });

  it('keeps keys apart: another policy does not wait behind a busy one', async () => {
    const { sut, batches, releaseNext } = recorder();
    const a = sut.submit('a', 1);
    const b = sut.submit('b', 2);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2]]);
    await releaseNext();
    await releaseNext();
    expect([await a, await b]).toEqual([{ value: 2 }, { value: 4 }]);
  });

  it('tells every item of a failed batch to go alone, and goes on with the next batch', async () => {
    const { sut, releaseNext } = recorder();
    const first = sut.submit('p', 1);
    const failing = [sut.submit('p', 7), sut.submit('p', -1)];
    const after = sut.submit('p', 8);
    await releaseNext();
    await releaseNext();
    expect(await first).toEqual({ value: 2 });
    for (const turn of await Promise.all(failing)) expect(turn).toMatchObject({ retry: expect.any(Error) });
    // 8 joined the failing batch (three to a batch): it is retried too.
    expect(await after).toMatchObject({ retry: expect.any(Error) });
    const next = sut.submit('p', 9);
    await releaseNext();
    expect(await next).toEqual({ value: 18 });
    expect(sut.stats.failed).toBe(1);
  });

  it('lets the next batch load while one decides once it is ready, never more than two at a time', async () => {
    // Each batch waits for its "load" gate, calls ready, then waits for its "decide" gate.
    const started: number[][] = [];
    const loads: (() => void)[] = [];
    const decides: (() => void)[] = [];
    const sut = new Batcher<number, number>(async (_key, items, ready) => {
      started.push(items);
      await new Promise<void>((go) => loads.push(go));
      ready();
      await new Promise<void>((go) => decides.push(go));
      return items;
    }, 10);
    const tick = () => new Promise((r) => setImmediate(r));
    const one = sut.submit('p', 1);
    await tick();
    const two = sut.submit('p', 2);
    await tick();
    // Batch 1 is still loading: 2 waits.
    expect(started).toEqual([[1]]);
    loads.shift()?.();
    await tick();
    // Batch 1 decides; batch 2 loads meanwhile.
    expect(started).toEqual([[1], [2]]);
    const three = [sut.submit('p', 3), sut.submit('p', 4)];
    loads.shift()?.();
    await tick();
    // Two batches run (one deciding, one ready to decide): 3 and 4 wait for a place.
    expect(started).toEqual([[1], [2]]);
    decides.shift()?.();
    expect(await one).toEqual({ value: 1 });
    await tick();
    expect(started).toEqual([[1], [2], [3, 4]]);
    decides.shift()?.();
    loads.shift()?.();
    await tick();
    decides.shift()?.();
    expect(await two).toEqual({ value: 2 });
    expect(await Promise.all(three)).toEqual([{ value: 3 }, { value: 4 }]);
  });
});
