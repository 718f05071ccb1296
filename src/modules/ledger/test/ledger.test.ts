import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import type { Db } from '../../../database.js';
import { FixedClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import {
  createAdjustment,
  createDeposit,
  createLedger,
  getBalances,
  redemptionIdempotencyKey,
  reserveSpend,
  reverseTransaction,
  transactionCountMismatches,
  transition,
  verifyLedgers,
} from '../index.js';
import { countTransactions } from '../transaction.queries.js';

const deps = { clock: new FixedClock('2026-03-01T00:00:00Z'), ids: randomIds };
const contract = {
  salesContractReferenceId: 'opp-1',
  salesContractReferenceProvider: 'salesforce_opportunity_line_item',
};

let db: Db;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  // Whatever a test did, the running balances must equal the journal, and the counted change
  // rows the transaction lists read must count the rows.
  expect((await verifyLedgers(db.kysely)).filter((c) => !c.ok)).toEqual([]);
  expect(await transactionCountMismatches(db.kysely)).toEqual([]);
  await db.close();
});

async function ledgerWith(deposit: number) {
  return db.transaction((trx) =>
    createLedger(deps, trx, {
      idempotencyKey: `L-${deps.ids.uuid()}`,
      initialDeposit: deposit ? { quantity: deposit, ...contract } : undefined,
    }),
  );
}

function spend(ledgerUuid: string, amount: number, key: string, user = 1, content = 'course-v1:edX+A+1') {
  return db.transaction((trx) =>
    reserveSpend(deps, trx, {
      ledgerUuid,
      amount,
      idempotencyKey: key,
      lmsUserId: user,
      contentKey: content,
    }),
  );
}

const balanceOf = async (uuid: string) => (await getBalances(db.kysely, uuid)).balance;

describe('ledger', () => {
  it('gets or creates a ledger by key, with its initial deposit made once', async () => {
    const make = () =>
      db.transaction((trx) =>
        createLedger(deps, trx, { subsidyUuid: 'sub-1', initialDeposit: { quantity: 100, ...contract } }),
      );
    const first = await make();
    const again = await make();
    expect(again.uuid).toBe(first.uuid);
    expect(first.idempotency_key).toBe('ledger-for-subsidy-sub-1');
    expect(await getBalances(db.kysely, first.uuid)).toMatchObject({
      balance: 100,
      committedBalance: 100,
      totalDeposits: 100,
    });
    const txs = await db.kysely.selectFrom('ledger_transactions').selectAll().execute();
    expect(txs).toHaveLength(1);
    expect(txs[0]?.idempotency_key).toBe('ledger-for-subsidy-sub-1-100-initial-deposit');
  });

  it('refuses an initial deposit without a sales contract reference and creates nothing', async () => {
    await expect(
      db.transaction((trx) =>
        createLedger(deps, trx, {
          idempotencyKey: 'L1',
          initialDeposit: {
            quantity: 100,
            salesContractReferenceId: null,
            salesContractReferenceProvider: null,
          },
        }),
      ),
    ).rejects.toThrow(/sales_contract_reference_id/);
    expect(await db.kysely.selectFrom('ledgers').selectAll().execute()).toEqual([]);
  });

  it('refuses a spend past the balance with ledger_balance_exceeded', async () => {
    const empty = await ledgerWith(0);
    await expect(spend(empty.uuid, 1, 'k0')).rejects.toMatchObject({
      errorCode: 'ledger_balance_exceeded',
      status: 422,
    });
    const l = await ledgerWith(999);
    await expect(spend(l.uuid, 1000, 'k1')).rejects.toMatchObject({ errorCode: 'ledger_balance_exceeded' });
    expect(await balanceOf(l.uuid)).toBe(999);
    await spend(l.uuid, 999, 'k2');
    expect(await balanceOf(l.uuid)).toBe(0);
  });

  it('counts reservations against the balance and releases them when they fail', async () => {
    const l = await ledgerWith(10_000);
    const { transaction } = await spend(l.uuid, 5_500, 'k1');
    expect(await getBalances(db.kysely, l.uuid)).toMatchObject({ balance: 4_500, committedBalance: 10_000 });
    await expect(spend(l.uuid, 5_000, 'k2')).rejects.toMatchObject({ errorCode: 'ledger_balance_exceeded' });
    await db.transaction((trx) => transition(deps, trx, transaction.uuid, 'pending'));
    await db.transaction((trx) => transition(deps, trx, transaction.uuid, 'failed'));
    expect(await balanceOf(l.uuid)).toBe(10_000);
    await spend(l.uuid, 5_000, 'k2');
    expect(await balanceOf(l.uuid)).toBe(5_000);
  });

  it('keeps failed terminal: a failed transaction is neither committed nor revived by its key', async () => {
    const l = await ledgerWith(1_000);
    const { transaction } = await spend(l.uuid, 300, 'k1');
    await db.transaction((trx) => transition(deps, trx, transaction.uuid, 'failed'));
    await expect(
      db.transaction((trx) => transition(deps, trx, transaction.uuid, 'committed')),
    ).rejects.toMatchObject({
      errorCode: 'invalid_transaction_state',
    });
    const retry = await spend(l.uuid, 300, 'k1');
    expect(retry).toMatchObject({ created: false, transaction: { uuid: transaction.uuid, state: 'failed' } });
    expect(await balanceOf(l.uuid)).toBe(1_000);
  });

  it('returns the original transaction for a retried key, even after the balance dropped', async () => {
    const l = await ledgerWith(500);
    const first = await spend(l.uuid, 300, 'k');
    await spend(l.uuid, 200, 'other');
    const retry = await spend(l.uuid, 300, 'k');
    expect(retry).toMatchObject({ created: false, transaction: { uuid: first.transaction.uuid } });
    expect(await balanceOf(l.uuid)).toBe(0);
  });

  it('refuses the same key for a different amount or learner with idempotency_key_conflict', async () => {
    const l = await ledgerWith(1_000);
    await spend(l.uuid, 300, 'k');
    await expect(spend(l.uuid, 301, 'k')).rejects.toMatchObject({
      errorCode: 'idempotency_key_conflict',
      status: 409,
    });
    await expect(spend(l.uuid, 300, 'k', 2)).rejects.toMatchObject({ errorCode: 'idempotency_key_conflict' });
    expect(await balanceOf(l.uuid)).toBe(700);
  });

  it('reverses a committed spend once; the same key returns it, another key is refused', async () => {
    const l = await ledgerWith(10_000);
    const { transaction } = await spend(l.uuid, 5_000, 'k');
    await db.transaction((trx) =>
      transition(deps, trx, transaction.uuid, 'committed', { fulfillmentIdentifier: 'f-1' }),
    );
    const reverse = (key: string) =>
      db.transaction((trx) =>
        reverseTransaction(deps, trx, { transactionUuid: transaction.uuid, idempotencyKey: key }),
      );
    const r1 = await reverse('r1');
    expect(r1.reversal.quantity).toBe(5_000);
    expect((await reverse('r1')).reversal.uuid).toBe(r1.reversal.uuid);
    await expect(reverse('r2')).rejects.toMatchObject({ errorCode: 'transaction_already_reversed' });
    expect(await getBalances(db.kysely, l.uuid)).toMatchObject({ balance: 10_000, committedBalance: 10_000 });
  });

  it('refuses to reverse an unfinished spend, a deposit or an adjustment', async () => {
    const l = await ledgerWith(10_000);
    const { transaction } = await spend(l.uuid, 100, 'k');
    const reverse = (uuid: string) =>
      db.transaction((trx) => reverseTransaction(deps, trx, { transactionUuid: uuid, idempotencyKey: 'r' }));
    await expect(reverse(transaction.uuid)).rejects.toMatchObject({ errorCode: 'transaction_not_committed' });
    const adj = await db.transaction((trx) =>
      createAdjustment(deps, trx, {
        ledgerUuid: l.uuid,
        quantity: 50,
        idempotencyKey: 'a1',
        reason: 'good_faith',
      }),
    );
    await expect(reverse(adj.transaction.uuid)).rejects.toMatchObject({
      errorCode: 'cannot_reverse_non_spend',
    });
    const dep = await db.kysely
      .selectFrom('ledger_deposits')
      .select('transaction_uuid')
      .executeTakeFirstOrThrow();
    await expect(reverse(dep.transaction_uuid)).rejects.toMatchObject({
      errorCode: 'cannot_reverse_non_spend',
    });
  });

  it('makes deposits idempotent by key and refuses non-positive ones', async () => {
    const l = await ledgerWith(0);
    const deposit = (quantity: number, key: string) =>
      db.transaction((trx) =>
        createDeposit(deps, trx, { ledgerUuid: l.uuid, quantity, idempotencyKey: key, ...contract }),
      );
    await expect(deposit(-100, 'd0')).rejects.toMatchObject({ errorCode: 'invalid_deposit_quantity' });
    await expect(deposit(0, 'd0')).rejects.toMatchObject({ errorCode: 'invalid_deposit_quantity' });
    const first = await deposit(100, 'd');
    const second = await deposit(100, 'd');
    expect(second).toMatchObject({ created: false, deposit: { uuid: first.deposit.uuid } });
    expect(await getBalances(db.kysely, l.uuid)).toMatchObject({ balance: 100, totalDeposits: 100 });
    await expect(
      db.transaction((trx) =>
        createDeposit(deps, trx, {
          ledgerUuid: l.uuid,
          quantity: 5,
          salesContractReferenceId: 'x',
          salesContractReferenceProvider: 'no-such-provider',
        }),
      ),
    ).rejects.toMatchObject({ errorCode: 'unknown_sales_contract_reference_provider' });
  });

  it('balance-checks negative adjustments and links the transaction of interest', async () => {
    const l = await ledgerWith(5_000);
    const { transaction } = await spend(l.uuid, 100, 'k');
    const adj = await db.transaction((trx) =>
      createAdjustment(deps, trx, {
        ledgerUuid: l.uuid,
        quantity: -100,
        idempotencyKey: 'adj-1',
        transactionOfInterestUuid: transaction.uuid,
        reason: 'unauthorized_enrollment',
      }),
    );
    expect(adj.adjustment.transaction_of_interest_uuid).toBe(transaction.uuid);
    expect(await balanceOf(l.uuid)).toBe(4_800);
    const small = await ledgerWith(50);
    await expect(
      db.transaction((trx) =>
        createAdjustment(deps, trx, { ledgerUuid: small.uuid, quantity: -100, idempotencyKey: 'a' }),
      ),
    ).rejects.toMatchObject({ errorCode: 'ledger_balance_exceeded' });
    expect(
      await db.kysely
        .selectFrom('ledger_transactions')
        .where('ledger_uuid', '=', small.uuid)
        .selectAll()
        .execute(),
    ).toHaveLength(1);
  });

  it('adds up the decision record example to 95 000', async () => {
    const l = await ledgerWith(100_000);
    const a = await spend(l.uuid, 5_000, 'a');
    const b = await spend(l.uuid, 7_500, 'b');
    for (const t of [a, b])
      await db.transaction((trx) => transition(deps, trx, t.transaction.uuid, 'committed'));
    await db.transaction((trx) =>
      reverseTransaction(deps, trx, { transactionUuid: a.transaction.uuid, idempotencyKey: 'r' }),
    );
    await db.transaction((trx) =>
      createAdjustment(deps, trx, {
        ledgerUuid: l.uuid,
        quantity: 2_500,
        reason: 'good_faith',
        idempotencyKey: 'g',
      }),
    );
    expect(await getBalances(db.kysely, l.uuid)).toMatchObject({
      balance: 95_000,
      committedBalance: 95_000,
      totalDeposits: 102_500,
    });
  });

  it('rolls back the whole entry when the surrounding change fails', async () => {
    const l = await ledgerWith(1_000);
    await expect(
      db.transaction(async (trx) => {
        await reserveSpend(deps, trx, {
          ledgerUuid: l.uuid,
          amount: 400,
          idempotencyKey: 'k',
          lmsUserId: 1,
          contentKey: 'c',
        });
        throw new Error('enrollment failed');
      }),
    ).rejects.toThrow('enrollment failed');
    expect(await balanceOf(l.uuid)).toBe(1_000);
    expect(
      await db.kysely
        .selectFrom('ledger_transactions')
        .where('idempotency_key', '=', 'k')
        .selectAll()
        .execute(),
    ).toEqual([]);
  });

  it('detects a running balance that disagrees with the journal', async () => {
    const l = await ledgerWith(1_000);
    await db.kysely.updateTable('ledgers').set({ balance_cents: 999 }).where('uuid', '=', l.uuid).execute();
    const [check] = await verifyLedgers(db.kysely, { ledgerUuids: [l.uuid] });
    expect(check).toMatchObject({ ok: false, stored: { balance: 999 }, journal: { balance: 1_000 } });
    await db.kysely.updateTable('ledgers').set({ balance_cents: 1_000 }).where('uuid', '=', l.uuid).execute();
  });
});

describe('redemptionIdempotencyKey', () => {
  const base = {
    subsidyUuid: 's',
    lmsUserId: 1,
    contentKey: 'c',
    policyUuid: 'p',
    priorInactiveTransactionUuids: [],
  };
  it('is stable for a retry and new after a reversal or failure', () => {
    expect(redemptionIdempotencyKey(base)).toBe(redemptionIdempotencyKey({ ...base }));
    expect(redemptionIdempotencyKey(base)).toMatch(/^ledger-for-subsidy-s-[0-9a-f]{32}$/);
    expect(redemptionIdempotencyKey({ ...base, priorInactiveTransactionUuids: ['t1'] })).not.toBe(
      redemptionIdempotencyKey(base),
    );
    expect(redemptionIdempotencyKey({ ...base, priorInactiveTransactionUuids: ['a', 'b'] })).toBe(
      redemptionIdempotencyKey({ ...base, priorInactiveTransactionUuids: ['b', 'a'] }),
    );
  });
});

describe('transaction counts (what the admin transaction list shows as count)', () => {
  it("counts a policy's spends by state exactly, and a read folds the change rows when they pile up", async () => {
    const ledger = await ledgerWith(1_000_000);
    const policy = deps.ids.uuid();
    // One statement each: 40 inserts and 30 state changes leave more than a read lets pile up.
    for (let i = 0; i < 40; i++) {
      await db.transaction(async (trx) => {
        const { transaction } = await reserveSpend(deps, trx, {
          ledgerUuid: ledger.uuid,
          amount: 100,
          idempotencyKey: `count-${i}`,
          lmsUserId: i,
          contentKey: 'course-v1:Count+C+1',
          subsidyAccessPolicyUuid: i % 5 === 0 ? null : policy,
        });
        if (i % 4 !== 0) await transition(deps, trx, transaction.uuid, i % 4 === 1 ? 'failed' : 'committed');
      });
    }
    const changeRows = () =>
      db.kysely
        .selectFrom('ledger_transaction_counts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('ledger_uuid', '=', ledger.uuid)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    expect(await changeRows()).toBeGreaterThan(64);
    const committed = {
      ledgerUuid: ledger.uuid,
      kinds: ['spend' as const],
      policyUuid: policy,
      states: ['committed' as const],
    };
    // i % 4 in {2, 3} and i % 5 ≠ 0: 20 committed spends, 4 of them without the policy.
    expect(await countTransactions(db.kysely, committed)).toBe(16);
    // That read folded: a handful of rows, the same answers.
    expect(await changeRows()).toBeLessThanOrEqual(8);
    expect(await countTransactions(db.kysely, committed)).toBe(16);
    expect(await countTransactions(db.kysely, { ledgerUuid: ledger.uuid, kinds: ['spend'] })).toBe(40);
    expect(await countTransactions(db.kysely, { ledgerUuid: ledger.uuid, states: ['failed'] })).toBe(10);
  });
});
