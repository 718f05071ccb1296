import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb } from '../../../../test/support/app.js';
import type { Db } from '../../../database.js';
import { FixedClock } from '../../../shared/clock.js';
import type { DomainError } from '../../../shared/errors.js';
import { randomIds } from '../../../shared/ids.js';
import {
  createAdjustment,
  createDeposit,
  createLedger,
  getBalances,
  reserveSpend,
  reverseTransaction,
  transition,
  verifyLedgers,
} from '../index.js';

const POLICIES = ['9c0ffee0-0000-4000-8000-00000000000a', '9c0ffee0-0000-4000-8000-00000000000b'];
const deps = { clock: new FixedClock('2026-03-01T00:00:00Z'), ids: randomIds };
const contract = {
  salesContractReferenceId: 'opp',
  salesContractReferenceProvider: 'salesforce_opportunity_line_item',
};

type Op =
  | { op: 'spend'; amount: number; key: number }
  | { op: 'commit' | 'fail' | 'pend' | 'reverse'; pick: number }
  | { op: 'deposit'; amount: number; key: number }
  | { op: 'adjust'; amount: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('spend' as const),
    amount: fc.integer({ min: 0, max: 400 }),
    key: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({
    op: fc.constantFrom('commit' as const, 'fail' as const, 'pend' as const, 'reverse' as const),
    pick: fc.nat(),
  }),
  fc.record({
    op: fc.constant('deposit' as const),
    amount: fc.integer({ min: 1, max: 300 }),
    key: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    op: fc.constant('adjust' as const),
    amount: fc.integer({ min: -200, max: 200 }).filter((n) => n !== 0),
  }),
);

/** Refusals the ledger is allowed to answer with; anything else is a bug. */
const expected = new Set([
  'ledger_balance_exceeded',
  'idempotency_key_conflict',
  'invalid_transaction_state',
  'transaction_not_committed',
  'transaction_already_reversed',
  'cannot_reverse_non_spend',
]);

describe('ledger properties', () => {
  let db: Db;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  it('after any sequence of operations, the running balances equal a simple model and the journal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ledger = await db.transaction((trx) =>
          createLedger(deps, trx, {
            idempotencyKey: `P-${randomIds.uuid()}`,
            initialDeposit: { quantity: 500, ...contract },
          }),
        );
        // The model: each transaction's quantity and state, reversals, and the deposits total.
        const model = new Map<string, { q: number; state: string; kind: string; reversed: boolean }>();
        let deposits = 500;
        const touched: string[] = [];
        for (const o of ops) {
          try {
            if (o.op === 'spend') {
              const { transaction, created } = await db.transaction((trx) =>
                reserveSpend(deps, trx, {
                  ledgerUuid: ledger.uuid,
                  amount: o.amount,
                  idempotencyKey: `k${o.key}`,
                  // Keys spread over two learners and two policies, so that verify also checks
                  // the per-policy and per-learner totals kept beside the balance.
                  lmsUserId: 1 + (o.key % 2),
                  contentKey: 'c',
                  subsidyAccessPolicyUuid: POLICIES[o.key % 3] ?? null,
                }),
              );
              if (created)
                model.set(transaction.uuid, {
                  q: -o.amount,
                  state: 'created',
                  kind: 'spend',
                  reversed: false,
                });
              touched.push(transaction.uuid);
            } else if (o.op === 'deposit') {
              const { transaction, created } = await db.transaction((trx) =>
                createDeposit(deps, trx, {
                  ledgerUuid: ledger.uuid,
                  quantity: o.amount,
                  idempotencyKey: `d${o.key}`,
                  ...contract,
                }),
              );
              if (created) {
                model.set(transaction.uuid, {
                  q: o.amount,
                  state: 'committed',
                  kind: 'deposit',
                  reversed: false,
                });
                deposits += o.amount;
              }
            } else if (o.op === 'adjust') {
              const { transaction } = await db.transaction((trx) =>
                createAdjustment(deps, trx, {
                  ledgerUuid: ledger.uuid,
                  quantity: o.amount,
                  idempotencyKey: randomIds.uuid(),
                }),
              );
              model.set(transaction.uuid, {
                q: o.amount,
                state: 'committed',
                kind: 'adjustment',
                reversed: false,
              });
              deposits += o.amount;
            } else {
              const uuid = touched[o.pick % Math.max(1, touched.length)];
              if (!uuid) continue;
              const m = model.get(uuid);
              if (!m) continue;
              if (o.op === 'reverse') {
                await db.transaction((trx) =>
                  reverseTransaction(deps, trx, { transactionUuid: uuid, idempotencyKey: 'r' }),
                );
                m.reversed = true;
              } else {
                const to = o.op === 'commit' ? 'committed' : o.op === 'fail' ? 'failed' : 'pending';
                const after = await db.transaction((trx) => transition(deps, trx, uuid, to));
                m.state = after.state;
              }
            }
          } catch (err) {
            const code = (err as DomainError).errorCode;
            if (!expected.has(code)) throw err;
          }
          const b = await getBalances(db.kysely, ledger.uuid);
          expect(b.balance).toBeGreaterThanOrEqual(0);
        }
        let balance = 0;
        let committed = 0;
        for (const t of model.values()) {
          const value = t.q + (t.reversed ? -t.q : 0);
          if (t.state !== 'failed') balance += value;
          if (t.state === 'committed') committed += value;
        }
        balance += 500;
        committed += 500;
        expect(await getBalances(db.kysely, ledger.uuid)).toMatchObject({
          balance,
          committedBalance: committed,
          totalDeposits: deposits,
        });
        const [check] = await verifyLedgers(db.kysely, { ledgerUuids: [ledger.uuid] });
        expect(check?.ok).toBe(true);
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });
});
