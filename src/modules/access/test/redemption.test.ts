import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { verifyLedgers } from '../../ledger/index.js';
import * as policies from '../policy.repository.js';
import { accessWorld } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;

describe('can-redeem, redeem and credits available', () => {
  let t: TestApp;
  let as: As;
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

  const canRedeem = (keys: string[], who: string | null = as.learnerA, extra = '') =>
    t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?${keys
        .map((k) => `content_key=${encodeURIComponent(k)}`)
        .join('&')}${extra}`,
      as: who,
    });
  const redeem = (
    policyUuid: string,
    contentKey: string,
    who: string | null = as.learnerA,
    body: object = {},
  ) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policyUuid}/redeem/`,
      payload: { content_key: contentKey, ...body },
      as: who,
    });

  it('answers 404 when the customer has no active policy', async () => {
    const res = await canRedeem([w.run.key]);
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('no_active_policies');
  });

  it('names the redeemable policy, its absolute redeem URL and the list price for each requested key', async () => {
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { per_learner_enrollment_limit: 2 });
    const res = await canRedeem([w.run.key, w.closed.key]);
    expect(res.statusCode).toBe(200);
    const [open, closed] = res.json();
    expect(open).toMatchObject({
      content_key: w.run.key,
      can_redeem: true,
      has_successful_redemption: false,
      list_price: { usd: 100, usd_cents: 10_000 },
      reasons: [],
      display_reason: null,
      redeemable_subsidy_access_policy: {
        uuid: p.uuid,
        policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
        per_learner_enrollment_limit: 2,
        is_late_redemption_allowed: false,
      },
    });
    expect(open.redeemable_subsidy_access_policy.policy_redemption_url).toMatch(
      new RegExp(`^http://localhost(:80)?/access/api/v1/policy-redemption/${p.uuid}/redeem/$`),
    );
    expect(closed).toMatchObject({
      content_key: w.closed.key,
      can_redeem: false,
      redeemable_subsidy_access_policy: null,
    });
    expect(closed.display_reason).toMatchObject({
      reason: 'beyond_enrollment_deadline',
      user_message: "You can't enroll right now because the enrollment deadline for this course has passed.",
      policy_uuids: [p.uuid],
    });
    expect(closed.display_reason.metadata.enterprise_administrators).toEqual(expect.any(Array));
  });

  it('redeems through the URL, returns the same redemption on repeat, and then reports it as held', async () => {
    const [item] = (await canRedeem([w.run.key])).json();
    const url = new URL(item.redeemable_subsidy_access_policy.policy_redemption_url);
    const first = await t.request({
      method: 'POST',
      url: url.pathname,
      payload: { content_key: w.run.key, metadata: {} },
      as: as.learnerA,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      state: 'committed',
      lms_user_id: 101,
      content_key: w.run.key,
      quantity: -10_000,
    });
    expect(first.json().transaction_status_api_url).toMatch(
      /\/subsidy\/api\/v1\/transactions\/[0-9a-f-]+\/$/,
    );
    expect(first.json().courseware_url).toContain(`/course/${w.run.key}/home`);
    const again = await t.request({
      method: 'POST',
      url: url.pathname,
      payload: { content_key: w.run.key },
      as: as.learnerA,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().uuid).toBe(first.json().uuid);
    const [after] = (await canRedeem([w.run.key])).json();
    expect(after).toMatchObject({ has_successful_redemption: true, can_redeem: false, reasons: [] });
    expect(after.redemptions).toHaveLength(1);
  });

  it('refuses past a per-learner enrollment cap with learner_max_enrollments_reached and the reasons list', async () => {
    const runs = [await w.extraRun(), await w.extraRun()];
    const [p] = await policies.redeemableOfCustomer(t.db.kysely, ENTERPRISE_A);
    if (!p) throw new Error('policy missing');
    expect((await redeem(p.uuid, runs[0].key)).statusCode).toBe(201);
    const refused = await redeem(p.uuid, runs[1].key);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error_code: 'learner_max_enrollments_reached',
      reasons: [{ reason: 'learner_max_enrollments_reached', policy_uuids: [p.uuid] }],
    });
    expect(refused.json().reasons[0].user_message).toContain('limits set by your organization');
  });

  it('lets learners act only for themselves and only in their enterprise', async () => {
    const [p] = await policies.redeemableOfCustomer(t.db.kysely, ENTERPRISE_A);
    if (!p) throw new Error('policy missing');
    expect((await redeem(p.uuid, w.run.key, as.learnerA, { lms_user_id: 999 })).statusCode).toBe(403);
    expect((await redeem(p.uuid, w.run.key, as.learnerB)).statusCode).toBe(403);
    expect((await canRedeem([w.run.key], as.adminB)).statusCode).toBe(403);
    expect((await canRedeem([w.run.key], null)).statusCode).toBe(401);
    const bad = await canRedeem(['not a key']);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.content_key[0]).toContain('Invalid content_key');
    const badMeta = await redeem(p.uuid, w.run.key, as.learnerA, { metadata: { geag_email: 'nope' } });
    expect(badMeta.statusCode).toBe(400);
  });

  it('lists usable policies in credits_available with what is left for the learner', async () => {
    const res = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as: as.learnerA,
    });
    expect(res.statusCode).toBe(200);
    // The learner used both enrollments of the only policy: nothing is left for them.
    expect(res.json()).toEqual([]);
    // An operator asks for another learner: membership is looked up, not taken from a token.
    const member = await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      payload: { lms_user_id: 555, username: 'five', email: 'five@example.com' },
      as: as.operator,
    });
    expect(member.statusCode).toBeLessThan(300);
    const other = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=555`,
      as: as.operator,
    });
    expect(other.json()).toHaveLength(1);
    expect(other.json()[0]).toMatchObject({
      remaining_balance_per_user: 2,
      remaining_balance: 80_000,
      // No spend limit and nothing allocated: the policy can spend what the subsidy holds.
      spend_available_usd_cents: 80_000,
      learner_content_assignments: [],
      group_associations: [],
    });
    expect(other.json()[0].subsidy_expiration_date).toBe('2027-01-01T00:00:00.000Z');
  });

  it('stops at the policy spend limit, exactly reaching it is allowed', async () => {
    await t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();
    const p = await w.policy('PerLearnerSpendCreditAccessPolicy', {
      spend_limit: 20_000,
      per_learner_spend_limit: 10_000,
    });
    const tokens = await Promise.all(
      [701, 702, 703].map((id) => t.token({ userId: id, roles: [`enterprise_learner:${ENTERPRISE_A}`] })),
    );
    expect((await redeem(p.uuid, w.run.key, tokens[0])).statusCode).toBe(201);
    expect((await redeem(p.uuid, w.run.key, tokens[1])).statusCode).toBe(201);
    const third = await redeem(p.uuid, w.run.key, tokens[2]);
    expect(third.json().error_code).toBe('policy_spend_limit_reached');
    const run = await w.extraRun();
    const overCap = await redeem(p.uuid, run.key, tokens[0]);
    expect(overCap.json().error_code).toBe('policy_spend_limit_reached');
  });

  it('treats a retired policy as expired, and applies group membership', async () => {
    await t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();
    const retired = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { retired: true });
    const refused = await redeem(
      retired.uuid,
      w.run.key,
      await t.token({ userId: 801, roles: [`enterprise_learner:${ENTERPRISE_A}`] }),
    );
    expect(refused.json().error_code).toBe('policy_expired');
    const grouped = await w.policy('PerLearnerEnrollmentCreditAccessPolicy');
    const group = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-group/',
      payload: { enterprise_customer: ENTERPRISE_A, name: 'Cohort 1' },
      as: as.operator,
    });
    await policies.setGroups(t.db.kysely, grouped.uuid, [group.json().uuid], t.clock.now());
    const outsider = await redeem(
      grouped.uuid,
      w.run.key,
      await t.token({ userId: 802, roles: [`enterprise_learner:${ENTERPRISE_A}`] }),
    );
    expect(outsider.json().error_code).toBe('learner_not_in_enterprise_group');
  });

  it('lets an operator force a redemption past the enrollment deadline, recording who and why', async () => {
    await t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy');
    const learner = await t.token({ userId: 901, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
    // An operator acts for a learner by id: the learner must be a member of the enterprise.
    await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      payload: { lms_user_id: 901, username: 'nine', email: 'nine@example.com' },
      as: as.operator,
    });
    expect((await redeem(p.uuid, w.closed.key, learner)).json().error_code).toBe(
      'beyond_enrollment_deadline',
    );
    const force = (who: string | null) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-redemption/${p.uuid}/force-redeem/`,
        payload: {
          lms_user_id: 901,
          content_key: w.closed.key,
          reason: 'Support ticket 1234: missed deadline',
        },
        as: who,
      });
    expect((await force(as.adminA)).statusCode).toBe(403);
    const forced = await force(as.operator);
    expect(forced.statusCode).toBe(201);
    expect(forced.json().metadata).toMatchObject({ allow_late_enrollment: true });
    const row = await t.db.kysely
      .selectFrom('forced_redemptions')
      .selectAll()
      .where('policy_uuid', '=', p.uuid)
      .executeTakeFirst();
    expect(row).toMatchObject({
      lms_user_id: 901,
      reason: 'Support ticket 1234: missed deadline',
      forced_by_lms_user_id: 900,
    });
    const attempts = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/${p.uuid}/attempts/`,
      as: as.adminA,
    });
    // Both attempts carry the same (fixed) clock time: compare them as a set.
    expect(
      attempts
        .json()
        .results.map((a: { outcome: string; forced: boolean }) => `${a.outcome}:${a.forced}`)
        .sort(),
    ).toEqual(['redeemed:true', 'refused:false']);
    expect(
      (
        await t.request({
          method: 'GET',
          url: `/access/api/v1/policy-redemption/${p.uuid}/attempts/`,
          as: as.adminB,
        })
      ).statusCode,
    ).toBe(403);
    void ENTERPRISE_B;
  });
});
