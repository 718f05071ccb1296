import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { verifyLedgers } from '../../ledger/index.js';
import { subsidyWorld } from './fixtures.js';

describe('subsidy deposits (POST /subsidy/api/v2/subsidies/{uuid}/admin/deposits/)', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let world: Awaited<ReturnType<typeof subsidyWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    world = await subsidyWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  const deposit = (payload: object) =>
    t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 5_000,
        sales_contract_reference_id: 'opp-top-ups',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
        ...payload,
      },
      as: as.operator,
    });
  const balances = async () => {
    const s = (
      await t.request({
        method: 'GET',
        url: `/subsidy/api/v1/subsidies/${world.subsidy.uuid}/`,
        as: as.operator,
      })
    ).json();
    return { current: s.current_balance as number, deposits: s.total_deposits as number };
  };

  it('makes two deposits of two equal top-ups on one contract sent without a key', async () => {
    const before = await balances();
    const first = await deposit({});
    const second = await deposit({});
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().uuid).not.toBe(first.json().uuid);
    expect(second.json().transaction).not.toBe(first.json().transaction);
    expect(await balances()).toEqual({
      current: before.current + 10_000,
      deposits: before.deposits + 10_000,
    });
  });

  it('answers a retried key with the first deposit and adds the money once', async () => {
    const before = await balances();
    const first = await deposit({ idempotency_key: 'top-up-retried' });
    const retry = await deposit({ idempotency_key: 'top-up-retried' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json()).toEqual(first.json());
    expect(await balances()).toEqual({ current: before.current + 5_000, deposits: before.deposits + 5_000 });
  });

  it('refuses a key reused for another amount or another contract with 409 idempotency_key_conflict', async () => {
    expect((await deposit({ idempotency_key: 'top-up-once' })).statusCode).toBe(201);
    const before = await balances();
    for (const other of [{ desired_deposit_quantity: 6_000 }, { sales_contract_reference_id: 'opp-other' }]) {
      const res = await deposit({ idempotency_key: 'top-up-once', ...other });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('idempotency_key_conflict');
    }
    expect(await balances()).toEqual(before);
  });

  it('refuses 100,000-level nested metadata with 400 (it answered 500), and deposits nothing', async () => {
    const before = await balances();
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const raw = (url: string, body: string) =>
      t.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: body,
        as: as.operator,
      });
    const res = await raw(
      `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/deposits/`,
      `{"desired_deposit_quantity":100,"sales_contract_reference_id":"x","sales_contract_reference_provider":"salesforce_opportunity_line_item","metadata":${deep}}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: { metadata: [expect.stringContaining('nested at most')] },
    });
    const tx = await raw(
      `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/`,
      `{"lms_user_id":1,"content_key":"x","subsidy_access_policy_uuid":"${world.subsidy.uuid}","metadata":${deep}}`,
    );
    expect(tx.statusCode).toBe(400);
    const large = await deposit({ metadata: { note: 'x'.repeat(20_000) } });
    expect(large.statusCode).toBe(400);
    expect(await balances()).toEqual(before);
  });

  it('refuses a deposit that would take the balance past 2^53 cents with 422 amount_out_of_range (it answered 500)', async () => {
    const before = await balances();
    const res = await deposit({ desired_deposit_quantity: Number.MAX_SAFE_INTEGER });
    expect(res.statusCode).toBe(422);
    expect(res.json().error_code).toBe('amount_out_of_range');
    expect(await balances()).toEqual(before);
  });
});
