import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import type { Db } from '../../../database.js';
import { FixedClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import { createLedger, reserveSpend } from '../index.js';
import { pageTransactions } from '../transaction.queries.js';

const deps = { clock: new FixedClock('2026-03-01T00:00:00Z'), ids: randomIds };

describe('a page of a ledger’s transactions', () => {
  let db: Db;
  let ledgerUuid: string;
  /** Every statement run. */
  const statements: string[] = [];
  const countingTransactions = () =>
    statements.filter((s) => /count\(\*\).* from "ledger_transactions"/.test(s));

  beforeAll(async () => {
    db = await memoryDb({ onQuery: (text) => statements.push(text) });
    const ledger = await db.transaction((trx) =>
      createLedger(deps, trx, {
        idempotencyKey: 'L-page',
        initialDeposit: {
          quantity: 100_000,
          salesContractReferenceId: 'opp-1',
          salesContractReferenceProvider: 'salesforce_opportunity_line_item',
        },
      }),
    );
    ledgerUuid = ledger.uuid;
    for (let i = 0; i < 5; i++) {
      await db.transaction((trx) =>
        reserveSpend(deps, trx, {
          ledgerUuid,
          amount: 100,
          idempotencyKey: `page-${i}`,
          lmsUserId: i,
          contentKey: 'course-v1:Page+P+1',
        }),
      );
    }
  });
  afterAll(() => db.close());

  it('takes its count from the counted change rows for a kind filter, not by counting', async () => {
    statements.length = 0;
    const sut = await pageTransactions(db.kysely, { ledgerUuid, kinds: ['spend'] }, { offset: 3, limit: 10 });
    expect(sut.count).toBe(5);
    expect(sut.rows).toHaveLength(2);
    expect(countingTransactions()).toEqual([]);
  });

  it('counts the rows of a learner filter', async () => {
    statements.length = 0;
    const sut = await pageTransactions(db.kysely, { ledgerUuid, lmsUserId: 3 }, { offset: 0, limit: 10 });
    expect(sut).toMatchObject({ count: 1, rows: [{ lms_user_id: 3, reversal: null }] });
    expect(countingTransactions()).toHaveLength(1);
  });
});
