import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, memoryDb, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { lockOrderViolations, lockRecorder } from '../../../../test/support/lock-order.js';
import { POLICY, subsidyWorld } from '../../../../test/support/worlds.js';
import type { Db } from '../../../database.js';
import { findJob, runJob } from '../../../jobs.js';
import { DomainError } from '../../../shared/errors.js';
import { MONEY_TRANSACTION_ATTEMPTS, moneyTransaction, reserveSpend, verifyLedgers } from '../index.js';

describe('the lock-order check itself', () => {
  it('accepts a subsequence of the order and refuses a step back or an unplaced table', () => {
    const lock = (t: string) => `select * from "${t}" where "uuid" = $1 for update`;
    expect(
      lockOrderViolations([lock('subsidy_access_policies'), lock('ledgers'), lock('enrollments')]),
    ).toEqual([]);
    expect(
      lockOrderViolations([lock('ledgers'), 'update "ledgers" set "balance_cents" = $1', lock('ledgers')]),
    ).toEqual([]);
    expect(lockOrderViolations([lock('enrollments'), lock('ledgers')])).toEqual([
      'ledgers locked after enrollments',
    ]);
    expect(
      lockOrderViolations([
        lock('ledgers'),
        'update "enrollments" set "is_active" = $1',
        lock('ledger_transactions'),
      ]),
    ).toEqual(['ledger_transactions locked after enrollments']);
    expect(lockOrderViolations([lock('somewhere_new')])).toEqual([
      'somewhere_new is locked but has no place in LOCK_ORDER',
    ]);
  });
});

describe('moneyTransaction', () => {
  const failingWith = (codes: string[]) => {
    let calls = 0;
    const db = {
      async transaction<T>(fn: (trx: never) => Promise<T>): Promise<T> {
        const code = codes[calls++];
        if (code) throw Object.assign(new Error(`error ${code}`), { code });
        return fn(undefined as never);
      },
    } as unknown as Db;
    return { db, calls: () => calls };
  };

  it('runs a transaction again after a deadlock or a serialization failure', async () => {
    const { db, calls } = failingWith(['40P01', '40001']);
    expect(await moneyTransaction(db, async () => 'done')).toBe('done');
    expect(calls()).toBe(3);
  });

  it('answers a conflict that outlasts the retries with 409 concurrent_update_conflict, not a 500', async () => {
    const { db, calls } = failingWith(Array(MONEY_TRANSACTION_ATTEMPTS).fill('40P01'));
    const err = await moneyTransaction(db, async () => 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ status: 409, errorCode: 'concurrent_update_conflict' });
    expect(calls()).toBe(MONEY_TRANSACTION_ATTEMPTS);
  });

  it('does not retry other errors', async () => {
    const { db, calls } = failingWith(['23505']);
    await expect(moneyTransaction(db, async () => 'never')).rejects.toMatchObject({ code: '23505' });
    expect(calls()).toBe(1);
  });
});

/**
 * Every path that touches a redemption, recorded as SQL and checked against the one lock order of
 * src/modules/ledger/lock-order.ts (docs/decisions/0015-one-lock-order.md). A new path, or a change
 * that makes one lock in another order, fails here rather than as a deadlock under load.
 */
describe('every path that touches a redemption takes its row locks in LOCK_ORDER', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof subsidyWorld>>;
  const { onQuery, locksOf } = lockRecorder();

  beforeAll(async () => {
    const db = await memoryDb({ onQuery });
    t = await testApp({ db });
    as = await personas(t);
    w = await subsidyWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  const ok = async (res: Promise<LightMyRequestResponse>, status: number) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const learner = (userId: number, email?: string) =>
    t.token({ userId, email, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
  const policyOf = async (fields: Record<string, unknown>) =>
    ok(
      t.request({
        method: 'POST',
        url: '/access/api/v1/subsidy-access-policies/',
        as: as.operator,
        payload: {
          enterprise_customer_uuid: ENTERPRISE_A,
          catalog_uuid: await catalogUuid(),
          subsidy_uuid: w.subsidy.uuid,
          display_name: `lock order ${Math.random()}`,
          active: true,
          spend_limit: 20_000,
          ...fields,
        },
      }),
      201,
    );
  const catalogUuid = async () => {
    const res = await t.request({
      method: 'GET',
      url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as: as.staff,
    });
    return (res.json().results as Array<{ uuid: string; enterprise_customer: string }>).find(
      (c) => c.enterprise_customer === ENTERPRISE_A,
    )?.uuid;
  };
  const adminRedeem = (lmsUserId: number) =>
    ok(
      t.request({
        method: 'POST',
        url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/transactions/`,
        payload: { subsidy_access_policy_uuid: POLICY, lms_user_id: lmsUserId, content_key: w.run.key },
        as: as.operator,
      }),
      201,
    );

  it('redeem through a policy: policy → ledger', async () => {
    const policy = await policyOf({
      policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
      access_method: 'direct',
    });
    const token = await learner(7_001);
    await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
    const r = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          as: token,
        }),
        201,
      ),
    );
    // One pass: the spend is written committed, so no transaction row is locked after its insert.
    expect(r.locks).toEqual(['subsidy_access_policies', 'ledgers']);
    expect(r.violations).toEqual([]);
  });

  it("the learner's unenroll refund and the operator's reverse: ledger → transaction → enrollment", async () => {
    const a = await adminRedeem(7_002);
    const token = await learner(7_002);
    const unenroll = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/enterprise/api/v1/enrollments/${a.fulfillment_identifier}/unenroll/`,
          as: token,
        }),
        200,
      ),
    );
    expect(unenroll.locks).toEqual(['ledgers', 'ledger_transactions', 'enrollments']);
    expect(unenroll.violations).toEqual([]);
    const b = await adminRedeem(7_003);
    const reverse = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/subsidy/api/v2/transactions/${b.uuid}/reverse/`,
          payload: {},
          as: as.operator,
        }),
        200,
      ),
    );
    expect(reverse.locks).toEqual(['ledgers', 'ledger_transactions', 'enrollments']);
    expect(reverse.violations).toEqual([]);
  });

  it('the fail-stale sweeper: ledger → transaction', async () => {
    const ctx = t.app.campus;
    const subsidy = await t.db.kysely
      .selectFrom('subsidies')
      .select('ledger_uuid')
      .where('uuid', '=', w.subsidy.uuid)
      .executeTakeFirstOrThrow();
    await t.db.transaction((trx) =>
      reserveSpend(ctx, trx, {
        ledgerUuid: subsidy.ledger_uuid,
        amount: 100,
        idempotencyKey: 'lock-order-stale',
        lmsUserId: 7_004,
        contentKey: w.run.key,
      }),
    );
    const job = findJob('fail-stale-transactions');
    if (!job) throw new Error('no fail-stale-transactions job');
    const r = await locksOf(async () => {
      const out = await runJob(ctx, job, { asOf: new Date(t.clock.now().getTime() + 86_400_000) });
      expect(out).toMatchObject({ ran: true, result: { failed: 1 } });
    });
    expect(r.locks).toEqual(['ledgers', 'ledger_transactions']);
    expect(r.violations).toEqual([]);
  });

  it('allocate, redeem the assignment, and cancel: policy first, the assignment last', async () => {
    const policy = await policyOf({
      policy_type: 'AssignedLearnerCreditAccessPolicy',
      access_method: 'assigned',
    });
    const config = policy.assignment_configuration.uuid as string;
    const allocate = (emails: string[]) =>
      ok(
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
          payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 10_000 },
          as: as.adminA,
        }),
        202,
      );
    const token = await learner(7_005, 'lock.order.a@example.com');
    await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
    const allocation = await locksOf(() =>
      allocate(['lock.order.a@example.com', 'lock.order.b@example.com']),
    );
    expect(allocation.locks).toEqual(['subsidy_access_policies']);
    expect(allocation.violations).toEqual([]);

    const redeem = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          as: token,
        }),
        201,
      ),
    );
    expect(redeem.locks).toEqual([
      'subsidy_access_policies',
      'ledgers',
      'learner_content_assignments',
      'learner_credit_requests',
    ]);
    expect(redeem.violations).toEqual([]);

    const rows = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select(['uuid', 'state'])
      .where('assignment_configuration_uuid', '=', config)
      .execute();
    const allocated = rows.filter((r) => r.state === 'allocated').map((r) => r.uuid);
    expect(allocated).toHaveLength(1);
    const cancel = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/access/api/v1/assignment-configurations/${config}/admin/assignments/cancel/`,
          payload: { assignment_uuids: allocated },
          as: as.adminA,
        }),
        200,
      ),
    );
    expect(cancel.locks).toEqual([
      'subsidy_access_policies',
      'learner_content_assignments',
      'learner_credit_requests',
    ]);
    expect(cancel.violations).toEqual([]);

    await allocate(['lock.order.c@example.com']);
    const expiry = findJob('expire-assignments');
    if (!expiry) throw new Error('no expire-assignments job');
    const expire = await locksOf(async () => {
      t.clock.set('2027-06-01T12:00:00Z');
      try {
        expect(await runJob(t.app.campus, expiry)).toMatchObject({ ran: true });
      } finally {
        t.clock.set('2026-06-01T12:00:00Z');
      }
    });
    expect(expire.locks).toEqual([
      'subsidy_access_policies',
      'learner_content_assignments',
      'learner_credit_requests',
    ]);
    expect(expire.violations).toEqual([]);
  });

  it('deposits: policy → ledger (deposit-funds), ledger alone (a subsidy deposit)', async () => {
    const policy = await policyOf({
      policy_type: 'PerLearnerSpendCreditAccessPolicy',
      access_method: 'direct',
      spend_limit: 1_000,
    });
    const funds = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/access/api/v1/subsidy-access-policies/${policy.uuid}/deposit-funds/`,
          payload: { desired_deposit_quantity_cents: 500, sales_contract_reference_id: '00k000000000000042' },
          as: as.operator,
        }),
        201,
      ),
    );
    expect(funds.locks).toEqual(['subsidy_access_policies', 'ledgers']);
    expect(funds.violations).toEqual([]);
    const deposit = await locksOf(() =>
      ok(
        t.request({
          method: 'POST',
          url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
          payload: {
            desired_deposit_quantity: 500,
            sales_contract_reference_id: 'lock-order',
            sales_contract_reference_provider: 'salesforce_opportunity_line_item',
          },
          as: as.operator,
        }),
        201,
      ),
    );
    expect(deposit.locks).toEqual(['ledgers']);
    expect(deposit.violations).toEqual([]);
  });

  it('an unenroll outside the refund window ends the enrollment in the same order', async () => {
    const a = await adminRedeem(7_006);
    t.clock.set('2026-09-01T12:00:00Z');
    try {
      const token = await learner(7_006);
      const late = await locksOf(async () => {
        const body = await ok(
          t.request({
            method: 'POST',
            url: `/enterprise/api/v1/enrollments/${a.fulfillment_identifier}/unenroll/`,
            as: token,
          }),
          200,
        );
        expect(body.refunded).toBe(false);
      });
      expect(late.locks).toEqual(['ledgers', 'ledger_transactions', 'enrollments']);
      expect(late.violations).toEqual([]);
    } finally {
      t.clock.set('2026-06-01T12:00:00Z');
    }
  });
});
