import { performance } from 'node:perf_hooks';
import { requestStartedAt, runInRequest } from '../../db/database-time.js';
import { outsideAudit } from '../../shared/audit.js';

/** A batch's answer for one of its items, or `retry` when the batch as a whole failed. */
export type Turn<R> = { value: R } | { retry: unknown };

export interface BatcherStats {
  batches: number;
  items: number;
  largest: number;
  failed: number;
}

interface Waiting<T, R> {
  item: T;
  /** When the request behind the item started: the batch's time budget is its oldest item's. */
  startedAt: number;
  done: (turn: Turn<R>) => void;
}

/**
 * Batches requests by key: items for one key (a policy, a customer) that arrive while a batch of
 * that key is running wait, and go together in the next batch; an item that finds its key idle
 * starts a batch at once, so a lone request waits for nothing. Each batch is one call of `run`,
 * which answers every item (in order); if it throws, every item of the batch is told to `retry`
 * on its own. Used for group commit (redemptions of one policy in one transaction) and for
 * reads that many concurrent requests share (can-redeem of one customer). One process batches
 * its own requests; the database locks keep batches of different processes apart.
 *
 * Batches run outside the request that happened to start them, in no caller's audit scope, and
 * within the time budget (database-time.ts) of the oldest request in the batch: no caller waits
 * on the database longer than its own request may.
 */
export class Batcher<T, R> {
  private readonly lines = new Map<string, Waiting<T, R>[]>();
  readonly stats: BatcherStats = { batches: 0, items: 0, largest: 0, failed: 0 };

  constructor(
    private readonly run: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, item: T): Promise<Turn<R>> {
    const startedAt = requestStartedAt() ?? performance.now();
    return new Promise((done) => {
      const line = this.lines.get(key);
      if (line) {
        line.push({ item, startedAt, done });
        return;
      }
      this.lines.set(key, [{ item, startedAt, done }]);
      outsideAudit(() => void this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const line = this.lines.get(key) ?? [];
      if (line.length === 0) {
        this.lines.delete(key);
        return;
      }
      const batch = line.splice(0, this.maxBatch);
      this.stats.batches += 1;
      this.stats.items += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      let turns: Turn<R>[];
      try {
        const oldest = Math.min(...batch.map((w) => w.startedAt));
        const values = await runInRequest(oldest, () =>
          this.run(
            key,
            batch.map((w) => w.item),
          ),
        );
        turns = values.map((value) => ({ value }));
      } catch (err) {
        this.stats.failed += 1;
        turns = batch.map(() => ({ retry: err }));
      }
      for (const [i, w] of batch.entries()) w.done(turns[i] ?? { retry: new Error('no answer for an item') });
    }
  }
}
