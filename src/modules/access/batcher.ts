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

interface Line<T, R> {
  waiting: Waiting<T, R>[];
  /** Batches started and not yet answered (at most two: one deciding, one loading). */
  running: number;
  /** Whether a running batch still needs the line to itself (it has not called `ready`). */
  forming: boolean;
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
 * A batch whose first part needs no lock (a redemption batch's reads) calls `ready` when it is
 * done with it: the next batch may then start its own first part while this one decides under
 * the locks, so the reads of batch k+1 overlap the transaction of batch k. At most two batches of
 * a key run at once; the database's row lock orders their transactions.
 *
 * Batches run outside the request that happened to start them, in no caller's audit scope, and
 * within the time budget (database-time.ts) of the oldest request in the batch: no caller waits
 * on the database longer than its own request may.
 */
export class Batcher<T, R> {
  private readonly lines = new Map<string, Line<T, R>>();
  readonly stats: BatcherStats = { batches: 0, items: 0, largest: 0, failed: 0 };

  constructor(
    private readonly run: (key: string, items: T[], ready: () => void) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, item: T): Promise<Turn<R>> {
    const startedAt = requestStartedAt() ?? performance.now();
    return new Promise((done) => {
      let line = this.lines.get(key);
      if (!line) {
        line = { waiting: [], running: 0, forming: false };
        this.lines.set(key, line);
      }
      line.waiting.push({ item, startedAt, done });
      this.next(key, line);
    });
  }

  /** Starts the next batch of the line when there is one to form and room for it. */
  private next(key: string, line: Line<T, R>): void {
    if (line.forming || line.running >= 2 || line.waiting.length === 0) {
      if (line.running === 0 && line.waiting.length === 0) this.lines.delete(key);
      return;
    }
    const batch = line.waiting.splice(0, this.maxBatch);
    line.running += 1;
    line.forming = true;
    outsideAudit(() => void this.runBatch(key, line, batch));
  }

  private async runBatch(key: string, line: Line<T, R>, batch: Waiting<T, R>[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.items += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    let formed = false;
    const ready = () => {
      if (formed) return;
      formed = true;
      line.forming = false;
      this.next(key, line);
    };
    let turns: Turn<R>[];
    try {
      const oldest = Math.min(...batch.map((w) => w.startedAt));
      const values = await runInRequest(oldest, () =>
        this.run(
          key,
          batch.map((w) => w.item),
          ready,
        ),
      );
      turns = values.map((value) => ({ value }));
    } catch (err) {
      this.stats.failed += 1;
      turns = batch.map(() => ({ retry: err }));
    }
    for (const [i, w] of batch.entries()) w.done(turns[i] ?? { retry: new Error('no answer for an item') });
    line.running -= 1;
    if (!formed) {
      formed = true;
      line.forming = false;
    }
    this.next(key, line);
  }
}
