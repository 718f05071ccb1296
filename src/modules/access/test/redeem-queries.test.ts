import { describe, expect, it } from 'vitest';
import { ENTERPRISE_A, memoryDb, personas, testApp } from '../../../../test/support/app.js';
import { accessWorld } from './fixtures.js';

/**
 * The statements one redemption runs, reviewed as SQL (docs/decisions/0015-one-lock-order.md): how
 * many, and that the policy row is locked before the ledger row — the fixed order that keeps
 * redeem, allocation and deposits from deadlocking each other.
 */
describe('the SQL of one redemption', () => {
  it('locks the policy row, then the ledger row, in a bounded number of statements', async () => {
    let recording = false;
    const statements: string[] = [];
    const db = await memoryDb({ onQuery: (sql) => recording && statements.push(sql) });
    const t = await testApp({ db });
    try {
      const as = await personas(t);
      const w = await accessWorld(t, as.staff);
      const policy = await w.policy('PerLearnerSpendCreditAccessPolicy', {
        spend_limit: 50_000,
        per_learner_spend_limit: 20_000,
      });
      const learner = await t.token({ userId: 4242, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
      // Warm the learner record so that the count below is the steady state of a redemption.
      await t.request({ method: 'GET', url: '/api/v1/me/', as: learner });
      recording = true;
      const res = await t.request({
        method: 'POST',
        url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
        payload: { content_key: w.run.key },
        as: learner,
      });
      recording = false;
      expect(res.statusCode).toBe(201);

      const locks = statements.filter((s) => /for update/i.test(s));
      const lockedTables = locks.map((s) => /from "(\w+)"/.exec(s)?.[1]);
      expect(lockedTables.indexOf('subsidy_access_policies')).toBe(0);
      expect(lockedTables.indexOf('ledgers')).toBeGreaterThan(0);
      expect(
        lockedTables.filter(
          (t) => t !== 'subsidy_access_policies' && t !== 'ledgers' && t !== 'ledger_transactions',
        ),
      ).toEqual([]);
      // Everything between BEGIN and COMMIT holds the policy lock: keep it short.
      const begin = statements.findIndex((s) => /^begin/i.test(s));
      const commit = statements.findIndex((s) => /^commit/i.test(s));
      expect(commit - begin - 1).toBeLessThanOrEqual(26);
      // And the whole request stays bounded too (it does not grow with history or catalog size).
      expect(statements.length).toBeLessThanOrEqual(45);
    } finally {
      await t.close();
    }
  });

  it('answers can-redeem for 10 keys in as many queries with 1 policy as with 4', async () => {
    let recording = false;
    const statements: string[] = [];
    const db = await memoryDb({ onQuery: (sql) => recording && statements.push(sql) });
    const t = await testApp({ db });
    try {
      const as = await personas(t);
      const w = await accessWorld(t, as.staff);
      const runs = [w.run.key];
      for (let i = 0; i < 9; i++) runs.push((await w.extraRun()).key);
      const learner = await t.token({ userId: 4343, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
      await t.request({ method: 'GET', url: '/api/v1/me/', as: learner });
      const url = `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?${runs
        .map((k) => `content_key=${encodeURIComponent(k)}`)
        .join('&')}`;
      const count = async () => {
        statements.length = 0;
        recording = true;
        const res = await t.request({ method: 'GET', url, as: learner });
        recording = false;
        expect(res.statusCode).toBe(200);
        expect(res.json()).toHaveLength(10);
        return statements.length;
      };
      await w.policy('PerLearnerEnrollmentCreditAccessPolicy');
      const withOne = await count();
      await w.policy('PerLearnerSpendCreditAccessPolicy', { per_learner_spend_limit: 100 });
      await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 10 });
      await w.policy('PerLearnerSpendCreditAccessPolicy');
      const withFour = await count();
      expect(withFour).toBe(withOne);
    } finally {
      await t.close();
    }
  });
});
