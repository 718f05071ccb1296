import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import type { Db } from '../../../database.js';
import { systemClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import {
  createDeposit,
  createLedger,
  getBalances,
  reserveSpend,
  transition,
  verifyLedgers,
} from '../index.js';

const deps = { clock: systemClock, ids: randomIds };
const contract = {
  salesContractReferenceId: 'opp',
  salesContractReferenceProvider: 'salesforce_opportunity_line_item',
};

describePg('ledger under concurrency', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let db: Db;
  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 50 });
    db = pg.db;
  });
  afterAll(async () => {
    expect((await verifyLedgers(db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await pg.drop();
  });

  const newLedger = (deposit: number) =>
    db.transaction((trx) =>
      createLedger(deps, trx, {
        idempotencyKey: `L-${randomIds.uuid()}`,
        initialDeposit: { quantity: deposit, ...contract },
      }),
    );

  /** Reserve and commit in one transaction, as a redemption does; resolves to the outcome. */
  const spendAndCommit = (ledgerUuid: string, amount: number, key: string, user: number) =>
    db
      .transaction(async (trx) => {
        const { transaction } = await reserveSpend(deps, trx, {
          ledgerUuid,
          amount,
          idempotencyKey: key,
          lmsUserId: user,
          contentKey: 'course-v1:edX+Race+1',
        });
        return transition(deps, trx, transaction.uuid, 'committed');
      })
      .then(
        (t) => ({ ok: true as const, uuid: t.uuid }),
        (err: { errorCode?: string }) => ({ ok: false as const, code: err.errorCode ?? String(err) }),
      );

  it('commits exactly 10 of 100 concurrent $10 spends against $100, and ends at 0', async () => {
    const ledger = await newLedger(10_000);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => spendAndCommit(ledger.uuid, 1_000, `spend-${i}`, i)),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    expect(new Set(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : o.code)))).toEqual(
      new Set(['ledger_balance_exceeded']),
    );
    expect(await getBalances(db.kysely, ledger.uuid)).toMatchObject({ balance: 0, committedBalance: 0 });
    const committed = await db.kysely
      .selectFrom('ledger_transactions')
      .select('uuid')
      .where('ledger_uuid', '=', ledger.uuid)
      .where('kind', '=', 'spend')
      .execute();
    expect(committed).toHaveLength(10);
  });

  it('makes one transaction of 50 concurrent retries of one idempotency key', async () => {
    const ledger = await newLedger(10_000);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => spendAndCommit(ledger.uuid, 700, 'the-same-key', 7)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(new Set(outcomes.map((o) => (o.ok ? o.uuid : '')))).toHaveProperty('size', 1);
    expect((await getBalances(db.kysely, ledger.uuid)).balance).toBe(9_300);
  });

  it('keeps the balance exact when spends and deposits race', async () => {
    const ledger = await newLedger(1_000);
    const spends = Array.from({ length: 60 }, (_, i) => spendAndCommit(ledger.uuid, 100, `s-${i}`, i));
    const deposits = Array.from({ length: 20 }, (_, i) =>
      db.transaction((trx) =>
        createDeposit(deps, trx, {
          ledgerUuid: ledger.uuid,
          quantity: 100,
          idempotencyKey: `d-${i}`,
          ...contract,
        }),
      ),
    );
    const [spent] = await Promise.all([Promise.all(spends), Promise.all(deposits)]);
    const won = spent.filter((o) => o.ok).length;
    // Never below zero, never more spent than was there, and the arithmetic adds up exactly.
    expect(won).toBeGreaterThanOrEqual(10);
    expect(won).toBeLessThanOrEqual(30);
    const balances = await getBalances(db.kysely, ledger.uuid);
    expect(balances.balance).toBe(1_000 + 20 * 100 - won * 100);
    expect(balances.totalDeposits).toBe(3_000);
  });
});
