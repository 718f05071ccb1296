import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { verifyLedgers } from '../../ledger/index.js';
import { accessWorld } from './fixtures.js';

/** docs/decisions/0002-deposit-funds-raises-the-limit.md */
describe('deposit funds without and with an idempotency key (decision 0002)', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof accessWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await accessWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  const depositFunds = (policyUuid: string, payload: object = {}) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/subsidy-access-policies/${policyUuid}/deposit-funds/`,
      // What Open edX's "Deposit funds" admin action sends: an amount and a contract, no key.
      payload: {
        desired_deposit_quantity_cents: 5_000,
        sales_contract_reference_id: '00k000000000000777',
        ...payload,
      },
      as: as.operator,
    });
  const totalDeposits = async () =>
    (
      await t.request({ method: 'GET', url: `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/`, as: as.operator })
    ).json().total_deposits as number;

  it('deposits twice and raises the spend limit twice for two equal keyless top-ups', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { spend_limit: 10_000 });
    const before = await totalDeposits();
    const first = await depositFunds(policy.uuid);
    const second = await depositFunds(policy.uuid);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().deposit.uuid).not.toBe(first.json().deposit.uuid);
    expect(second.json().policy.spend_limit).toBe(20_000);
    expect(await totalDeposits()).toBe(before + 10_000);
  });

  it('answers a retried key with the first deposit, and deposits and raises the limit once', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { spend_limit: 10_000 });
    const before = await totalDeposits();
    const first = await depositFunds(policy.uuid, { idempotency_key: 'funds-retried' });
    const retry = await depositFunds(policy.uuid, { idempotency_key: 'funds-retried' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json().deposit.uuid).toBe(first.json().deposit.uuid);
    expect(retry.json().policy.spend_limit).toBe(15_000);
    expect(await totalDeposits()).toBe(before + 5_000);
    const other = await depositFunds(policy.uuid, {
      idempotency_key: 'funds-retried',
      desired_deposit_quantity_cents: 7_000,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error_code).toBe('idempotency_key_conflict');
    expect(await totalDeposits()).toBe(before + 5_000);
  });

  it("refuses a key reused for another policy of the subsidy (409), rather than answer the first policy's deposit", async () => {
    const first = await w.policy('PerLearnerSpendCreditAccessPolicy', { spend_limit: 10_000 });
    const second = await w.policy('PerLearnerSpendCreditAccessPolicy', { spend_limit: 10_000 });
    const before = await totalDeposits();
    expect((await depositFunds(first.uuid, { idempotency_key: 'funds-one-policy' })).statusCode).toBe(201);
    const reused = await depositFunds(second.uuid, { idempotency_key: 'funds-one-policy' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error_code).toBe('idempotency_key_conflict');
    expect(await totalDeposits()).toBe(before + 5_000);
    const unchanged = await t.request({
      method: 'GET',
      url: `/access/api/v1/subsidy-access-policies/${second.uuid}/`,
      as: as.operator,
    });
    expect(unchanged.json().spend_limit).toBe(10_000);
  });

  it('refuses a deposit that would take the spend limit past 2^53 cents with 422, depositing nothing', async () => {
    const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', { spend_limit: 10_000 });
    const before = await totalDeposits();
    const res = await depositFunds(policy.uuid, {
      desired_deposit_quantity_cents: Number.MAX_SAFE_INTEGER - 5_000,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error_code).toBe('amount_out_of_range');
    expect(await totalDeposits()).toBe(before);
  });
});
