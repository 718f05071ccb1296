import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import { testConfig } from '../../../config.js';
import type { AppContext } from '../../../context.js';
import { openPglite } from '../../../database.js';
import { migrateToLatest } from '../../../db/migrate.js';
import { findJob, runJob } from '../../../jobs.js';
import { FixedClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import { createContext } from '../../../wiring.js';
import { createLedger, getBalances, reserveSpend } from '../index.js';

const contract = {
  salesContractReferenceId: 'opp',
  salesContractReferenceProvider: 'salesforce_opportunity_line_item',
};

describe('fail-stale-transactions job', () => {
  it('fails spends left unfinished past the timeout and releases them; younger ones stay', async () => {
    const db = await memoryDb();
    const clock = new FixedClock('2026-03-01T10:00:00Z');
    const ctx: AppContext = createContext({
      db,
      clock,
      ids: randomIds,
      config: testConfig(),
      log: pino({ level: 'silent' }),
    });
    const ledger = await db.transaction((trx) =>
      createLedger(ctx, trx, { idempotencyKey: 'L', initialDeposit: { quantity: 1_000, ...contract } }),
    );
    const spend = (key: string) =>
      db.transaction((trx) =>
        reserveSpend(ctx, trx, {
          ledgerUuid: ledger.uuid,
          amount: 100,
          idempotencyKey: key,
          lmsUserId: 1,
          contentKey: key,
        }),
      );
    await spend('old');
    clock.advance(10 * 60_000);
    await spend('young');
    clock.advance(6 * 60_000); // 'old' is 16 minutes old, 'young' 6.
    const job = findJob('fail-stale-transactions');
    if (!job) throw new Error('job missing');

    expect(await runJob(ctx, job, { dryRun: true })).toEqual({
      ran: true,
      result: { checked: 1, failed: 0, dryRun: true },
    });
    expect((await getBalances(db.kysely, ledger.uuid)).balance).toBe(800);

    expect(await runJob(ctx, job)).toEqual({ ran: true, result: { checked: 1, failed: 1, dryRun: false } });
    expect((await getBalances(db.kysely, ledger.uuid)).balance).toBe(900);
    const states = await db.kysely
      .selectFrom('ledger_transactions')
      .select(['idempotency_key', 'state'])
      .where('kind', '=', 'spend')
      .execute();
    expect(Object.fromEntries(states.map((s) => [s.idempotency_key, s.state]))).toEqual({
      old: 'failed',
      young: 'created',
    });

    // Idempotent: running again finds nothing more to do until time passes.
    expect(await runJob(ctx, job)).toEqual({ ran: true, result: { checked: 0, failed: 0, dryRun: false } });
    expect(await runJob(ctx, job, { asOf: new Date(clock.now().getTime() + 10 * 60_000) })).toMatchObject({
      result: { failed: 1 },
    });
    await db.close();
  });
});

describe('campus ledger verify', () => {
  it('exits 0 on clean ledgers and 1 naming the ledger whose balance disagrees with its journal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campus-verify-'));
    try {
      const db = await openPglite(dir);
      await migrateToLatest(db);
      const deps = { clock: new FixedClock(), ids: randomIds };
      const good = await db.transaction((trx) =>
        createLedger(deps, trx, { idempotencyKey: 'good', initialDeposit: { quantity: 50, ...contract } }),
      );
      const bad = await db.transaction((trx) =>
        createLedger(deps, trx, { idempotencyKey: 'bad', initialDeposit: { quantity: 70, ...contract } }),
      );
      await db.close();
      const bin = path.resolve(import.meta.dirname, '../../../../bin/campus.mjs');
      const run = () =>
        spawnSync(process.execPath, [bin, 'ledger', 'verify'], {
          encoding: 'utf8',
          env: { ...process.env, CAMPUS_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
        });
      const clean = run();
      expect(clean.status).toBe(0);
      expect(clean.stdout).toContain('2 ledger(s) checked, 0 mismatch(es)');

      const tamper = await openPglite(dir);
      await tamper.kysely
        .updateTable('ledgers')
        .set({ balance_cents: 71 })
        .where('uuid', '=', bad.uuid)
        .execute();
      await tamper.close();
      const dirty = run();
      expect(dirty.status).toBe(1);
      expect(dirty.stdout).toContain(`MISMATCH ledger ${bad.uuid}: stored balance 71`);
      expect(dirty.stdout).not.toContain(good.uuid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
