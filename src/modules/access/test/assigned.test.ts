import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { verifyLedgers } from '../../ledger/index.js';
import { accessWorld } from './fixtures.js';

/** Assigned learner credit end to end: allocate, see it, redeem it at the allocated price. */
describe('assigned learner credit through the access endpoints', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof accessWorld>>;
  let policy: { uuid: string; assignment_configuration: { uuid: string } };

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await accessWorld(t, as.staff);
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'assigned',
        display_name: 'Assigned budget',
        active: true,
        spend_limit: 50_000,
      },
    });
    expect(created.statusCode).toBe(201);
    policy = created.json();
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  const canRedeem = (token: string) =>
    t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?content_key=${encodeURIComponent(w.run.key)}`,
      as: token,
    });

  it('creates the assignment configuration with the policy', () => {
    expect(policy.assignment_configuration.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts allocations in the policy aggregates and shows them to the learner, even before they first signed in', async () => {
    const allocated = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      as: as.adminA,
      payload: {
        learner_emails: ['Learner.A@example.com', 'new.person@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
    });
    expect(allocated.statusCode).toBe(202);
    expect(allocated.json().created).toHaveLength(2);
    const detail = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/subsidy-access-policies/${policy.uuid}/`,
        as: as.adminA,
      })
    ).json();
    expect(detail.aggregates).toMatchObject({
      amount_allocated_usd_cents: 20_000,
      spend_available_usd_cents: 30_000,
    });

    const credits = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as: as.learnerA,
    });
    const budget = credits.json().find((p: { uuid: string }) => p.uuid === policy.uuid);
    expect(budget.learner_content_assignments).toHaveLength(1);
    expect(budget.learner_content_assignments[0]).toMatchObject({
      state: 'allocated',
      content_key: w.run.key,
    });
    expect(budget.learner_content_assignments[0].earliest_possible_expiration.date).toEqual(
      expect.any(String),
    );
  });

  it('redeems the assignment at its allocated price and marks it accepted', async () => {
    const [item] = (await canRedeem(as.learnerA ?? '')).json();
    expect(item).toMatchObject({ can_redeem: true, list_price: { usd_cents: 10_000 } });
    expect(item.redeemable_subsidy_access_policy.uuid).toBe(policy.uuid);
    const redeemed = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
      payload: { content_key: w.run.key },
      as: as.learnerA,
    });
    expect(redeemed.statusCode).toBe(201);
    expect(redeemed.json()).toMatchObject({ state: 'committed', quantity: -10_000 });
    const mine = await t.request({
      method: 'GET',
      url: `/access/api/v1/assignment-configurations/${policy.assignment_configuration.uuid}/assignments/`,
      as: as.learnerA,
    });
    expect(mine.json().results[0]).toMatchObject({
      state: 'accepted',
      transaction_uuid: redeemed.json().uuid,
    });
    const detail = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/subsidy-access-policies/${policy.uuid}/`,
        as: as.adminA,
      })
    ).json();
    // Redeeming moves the amount from allocated to redeemed: the room left is unchanged.
    expect(detail.aggregates).toMatchObject({
      amount_redeemed_usd_cents: 10_000,
      amount_allocated_usd_cents: 10_000,
      spend_available_usd_cents: 30_000,
    });
  });

  it('refuses learners without an assignment, and names a cancelled one', async () => {
    const stranger = await t.token({
      userId: 555,
      email: 'stranger@example.com',
      roles: [`enterprise_learner:${ENTERPRISE_A}`],
    });
    expect((await canRedeem(stranger)).json()[0].display_reason.reason).toBe(
      'reason_learner_not_assigned_content',
    );
    const list = await t.request({
      method: 'GET',
      url: `/access/api/v1/assignment-configurations/${policy.assignment_configuration.uuid}/admin/assignments/?state__in=allocated`,
      as: as.adminA,
    });
    const pending = list
      .json()
      .results.find((a: { learner_email: string }) => a.learner_email === 'new.person@example.com');
    const cancel = await t.request({
      method: 'POST',
      url: `/access/api/v1/assignment-configurations/${policy.assignment_configuration.uuid}/admin/assignments/cancel/`,
      payload: { assignment_uuids: [pending.uuid] },
      as: as.adminA,
    });
    expect(cancel.statusCode).toBeLessThan(300);
    const newcomer = await t.token({
      userId: 556,
      email: 'new.person@example.com',
      roles: [`enterprise_learner:${ENTERPRISE_A}`],
    });
    await t.request({ method: 'GET', url: '/api/v1/me/', as: newcomer });
    const [item] = (await canRedeem(newcomer)).json();
    expect(item.display_reason).toMatchObject({
      reason: 'reason_learner_assignment_cancelled',
      user_message: "You can't enroll right now because your administrator canceled your course assignment.",
    });
  });
});
