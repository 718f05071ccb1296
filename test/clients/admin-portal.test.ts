import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessWorld } from '../../src/modules/access/test/fixtures.js';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../support/app.js';

/**
 * The admin portal (openedx/frontend-app-admin-portal) replayed against Campus:
 * src/data/services/EnterpriseAccessApiService.ts getLearnerCreditPlans, read by People Management
 * (src/components/PeopleManagement/data/hooks/useLearnerCreditPlans.ts, LearnerDetailPage/LearnerAccess.tsx).
 */
describe("admin portal: a learner's credit plans in People Management", () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    const w = await accessWorld(t, as.staff);
    await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { per_learner_enrollment_limit: 2 });
    const member = await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      payload: { lms_user_id: 101, username: 'user101', email: 'learner.a@example.com' },
      as: as.operator,
    });
    expect(member.statusCode).toBeLessThan(300);
  });
  afterAll(() => t.close());

  const creditPlans = (token: string | null, lmsUserId: number) =>
    t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=${lmsUserId}`,
      as: token,
    });

  it("answers an admin of the learner's enterprise with the learner's plans", async () => {
    const res = await creditPlans(as.adminA, 101);
    expect(res.statusCode).toBe(200);
    const plans = res.json();
    expect(plans).toHaveLength(1);
    // LearnerAccess reads uuid, displayName, active, policyType; the hook flattens learnerContentAssignments.
    expect(plans[0]).toMatchObject({
      uuid: expect.any(String),
      display_name: expect.any(String),
      active: true,
      policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
      learner_content_assignments: [],
    });
    // The same as the learner sees for themselves.
    expect((await creditPlans(as.learnerA, 101)).json()).toEqual(plans);
  });

  it("refuses another enterprise's admin, and a learner asking for someone else", async () => {
    expect((await creditPlans(as.adminB, 101)).statusCode).toBe(403);
    const other = await creditPlans(as.learnerA, 555);
    expect(other.statusCode).toBe(403);
    expect(other.json().error_code).toBe('not_own_learner');
  });

  it('gives an admin nothing for someone outside the enterprise', async () => {
    const res = await creditPlans(as.adminA, 4242);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });
});
