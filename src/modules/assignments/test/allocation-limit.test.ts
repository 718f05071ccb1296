import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { MAX_EMAILS_PER_ALLOCATION } from '../limits.js';
import { assignmentsWorld } from './fixtures.js';

/**
 * One allocation takes at most MAX_EMAILS_PER_ALLOCATION emails (issue 16 item 7): 75,000 emails
 * overflowed PostgreSQL's bind parameters and answered 503.
 */
describe('allocation size', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const allocate = (policyUuid: string, count: number, offset = 0) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      payload: {
        learner_emails: Array.from({ length: count }, (_, i) => `bulk${offset + i}@example.com`),
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
  const assignmentCount = async () =>
    Number(
      (
        await t.db.kysely
          .selectFrom('learner_content_assignments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it(`refuses more than ${MAX_EMAILS_PER_ALLOCATION} emails with 422 too_many_learners, writing nothing`, async () => {
    const { policy } = await w.assignedPolicy(100_000_000);
    const before = await assignmentCount();
    for (const count of [MAX_EMAILS_PER_ALLOCATION + 1, 20_000]) {
      const res = await allocate(policy.uuid, count);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error_code: 'too_many_learners', max: MAX_EMAILS_PER_ALLOCATION });
    }
    expect(await assignmentCount()).toBe(before);
  });

  it(`allocates ${MAX_EMAILS_PER_ALLOCATION} emails in one call`, async () => {
    const { policy } = await w.assignedPolicy(100_000_000);
    const topUp = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 10_000_000,
        sales_contract_reference_id: 'bulk-allocation',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
      },
      as: as.operator,
    });
    expect(topUp.statusCode).toBe(201);
    const res = await allocate(policy.uuid, MAX_EMAILS_PER_ALLOCATION, 100_000);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(202);
    expect(res.json().created).toHaveLength(MAX_EMAILS_PER_ALLOCATION);
  });
});
