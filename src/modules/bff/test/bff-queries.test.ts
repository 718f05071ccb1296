import { describe, expect, it } from 'vitest';
import { ENTERPRISE_A, memoryDb, personas, testApp } from '../../../../test/support/app.js';
import { subsidyWorld } from '../../../../test/support/worlds.js';

/**
 * The dashboard BFF reads everything in a fixed number of statements: the count for a learner with
 * one enrollment and one budget equals the count with three enrollments and three budgets.
 */
async function dashboardStatements(enrollments: number): Promise<number> {
  let recording = false;
  let count = 0;
  const db = await memoryDb({ onQuery: () => recording && count++ });
  const t = await testApp({ db });
  try {
    const as = await personas(t);
    const w = await subsidyWorld(t, as.staff ?? '');
    const call = async (method: 'GET' | 'POST', url: string, payload?: object, who = as.operator) => {
      const res = await t.request({ method, url, payload, as: who });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await call('POST', `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`, {
      lms_user_id: 101,
      username: 'user101',
      email: 'learner.a@example.com',
    });
    const catalogs = await call(
      'GET',
      `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer=${ENTERPRISE_A}`,
    );
    const catalogUuid = catalogs.results.find(
      (c: { enterprise_customer: string }) => c.enterprise_customer === ENTERPRISE_A,
    ).uuid;
    const runs = [w.run.key];
    for (let i = 1; i < enrollments; i++) {
      const run = await t.request({
        method: 'POST',
        url: '/catalog/api/v1/course_runs/',
        payload: {
          course: w.course.key,
          start: '2026-05-20',
          end: '2026-12-15',
          run_type: '5eed0000-0000-4000-8000-000000000203',
          prices: { verified: '100.00' },
        },
        as: as.staff,
      });
      if (run.statusCode !== 201) throw new Error(run.body);
      runs.push(run.json().key);
    }
    for (const key of runs) {
      const policy = await call('POST', '/access/api/v1/subsidy-access-policies/', {
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'direct',
        display_name: `Budget ${key}`,
        active: true,
        per_learner_spend_limit: 50_000,
      });
      await call(
        'POST',
        `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
        { content_key: key },
        as.learnerA,
      );
    }
    recording = true;
    const body = await call(
      'POST',
      '/access/api/v1/bffs/learner/dashboard/',
      { enterprise_customer_slug: 'acme' },
      as.learnerA,
    );
    recording = false;
    expect(body.enterprise_course_enrollments).toHaveLength(enrollments);
    return count;
  } finally {
    await t.close();
  }
}

describe('the dashboard BFF', () => {
  it('runs as many statements for three enrollments and budgets as for one', async () => {
    const one = await dashboardStatements(1);
    const three = await dashboardStatements(3);
    expect(three).toBe(one);
    // Today: memberships, catalogs, admin contacts, enrollments, passing certificates, the catalog
    // card reads, B&R policies (and the auth read).
    expect(one).toBeLessThanOrEqual(12);
  });
});
