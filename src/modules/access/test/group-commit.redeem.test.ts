import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { verifyLedgers } from '../../ledger/index.js';
import { canRedeemBatchStats } from '../can-redeem.js';
import { redemptionBatchStats } from '../redeem.js';
import { accessWorld } from './fixtures.js';

/**
 * Redemptions that arrive while a batch of their policy runs go together in the next one (on
 * PostgreSQL: the embedded database runs one statement at a time, so its loads rarely overlap a
 * batch): each keeps its own outcome, refusal reason, attempt row and idempotency.
 */
describePg('redemptions batched on one policy', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof accessWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 30 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    w = await accessWorld(t, as.staff);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.app.close();
    await pg.drop();
  });

  const learner = (id: number) => t.token({ userId: id, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
  const redeem = (policyUuid: string, token: string, contentKey: string) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policyUuid}/redeem/`,
      payload: { content_key: contentKey },
      as: token,
    });

  it('gives each redemption of a batch its own answer; a refusal does not fail its neighbours', async () => {
    // Room for 8 redemptions of $100 (the subsidy holds 10); 20 learners ask at once, one of them twice, and two ask
    // for a closed run.
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 80_000 });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => learner(90_000 + i)));
    const [twice, ...others] = tokens;
    if (!twice) throw new Error('tokens');
    const before = redemptionBatchStats(t.app.campus);
    const calls: [string, string, string][] = [
      ['twice', twice, w.run.key],
      ['twice', twice, w.run.key],
      ...others.map((token): [string, string, string] => ['one', token, w.run.key]),
      ['closed', others[0] ?? '', w.closed.key],
      ['closed', others[1] ?? '', w.closed.key],
    ];
    const answers = await Promise.all(calls.map(([, token, key]) => redeem(p.uuid, token, key)));
    const outcome = (i: number) => {
      const r = answers[i];
      return r && r.statusCode < 300 ? String(r.statusCode) : String(r?.json().error_code);
    };
    const stats = redemptionBatchStats(t.app.campus);
    expect(stats.largest).toBeGreaterThan(1);
    expect(stats.failed).toBe(before.failed);
    expect(stats.items - before.items).toBe(calls.length);

    // Exactly 8 learners redeem; the rest are refused for the policy's limit, each on its own.
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(8);
    const codes = calls.map((_, i) => outcome(i));
    expect(codes.slice(-2)).toEqual(['beyond_enrollment_deadline', 'beyond_enrollment_deadline']);
    for (const code of codes.slice(0, -2))
      expect(['201', '200', 'policy_spend_limit_reached']).toContain(code);
    // The learner who asked twice got one redemption (201 then 200, the same one) or two refusals.
    const pair = codes.slice(0, 2).sort();
    if (pair.includes('201')) {
      expect(pair).toEqual(['200', '201']);
      expect(answers[0]?.json().uuid).toBe(answers[1]?.json().uuid);
    } else {
      expect(pair).toEqual(['policy_spend_limit_reached', 'policy_spend_limit_reached']);
    }

    // One attempt row per call, saying how it ended.
    const attempts = await t.db.kysely
      .selectFrom('redemption_attempts')
      .select(['outcome', 'reason'])
      .where('policy_uuid', '=', p.uuid)
      .execute();
    const tally = (outcome: string, reason: string | null) =>
      attempts.filter((x) => x.outcome === outcome && x.reason === reason).length;
    expect(attempts).toHaveLength(calls.length);
    expect(tally('redeemed', null)).toBe(8);
    expect(tally('existing', null)).toBe(codes.filter((c) => c === '200').length);
    expect(tally('refused', 'policy_spend_limit_reached')).toBe(
      codes.filter((c) => c === 'policy_spend_limit_reached').length,
    );
    expect(tally('refused', 'beyond_enrollment_deadline')).toBe(2);
  });

  it('answers can-redeems read together each for its own learner', async () => {
    // A fresh policy with room for two: learners 95000 and 95001 redeem first, then twenty
    // learners (those two among them) ask at once.
    await t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 20_000 });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => learner(95_000 + i)));
    for (const token of tokens.slice(0, 2)) {
      expect((await redeem(p.uuid, token ?? '', w.run.key)).statusCode).toBe(201);
    }
    const before = canRedeemBatchStats(t.app.campus);
    const answers = await Promise.all(
      tokens.map((token) =>
        t.request({
          method: 'GET',
          url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?content_key=${encodeURIComponent(w.run.key)}`,
          as: token,
        }),
      ),
    );
    const items = answers.map((r) => {
      expect(r.statusCode).toBe(200);
      return r.json()[0];
    });
    // The two who hold the run see their own redemption; the others see the subsidy spent (its
    // $1,000 went to the 8 redemptions above and these 2).
    for (const [i, item] of items.entries()) {
      if (i < 2) {
        expect(item).toMatchObject({ has_successful_redemption: true, can_redeem: false });
        expect(item.redemptions).toHaveLength(1);
        expect(item.redemptions[0].lms_user_id).toBe(95_000 + i);
      } else {
        expect(item).toMatchObject({ has_successful_redemption: false, can_redeem: false, redemptions: [] });
        expect(item.display_reason.reason).toBe('not_enough_value_in_subsidy');
      }
    }
    const stats = canRedeemBatchStats(t.app.campus);
    expect(stats.items - before.items).toBe(20);
    expect(stats.largest).toBeGreaterThan(1);
  });

  it('answers can-redeems of assigned learners read together, each with their own assignment', async () => {
    await t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();
    // A subsidy of its own: the tests above spent the world's.
    const subsidy = await t.request({
      method: 'POST',
      url: '/subsidy/api/v1/subsidies/',
      as: as.staff,
      payload: {
        reference_id: 'assigned-batch',
        default_title: 'Assigned in batches',
        default_enterprise_customer_uuid: ENTERPRISE_A,
        default_active_datetime: '2026-01-01T00:00:00Z',
        default_expiration_datetime: '2027-01-01T00:00:00Z',
        default_starting_balance: 100_000,
      },
    });
    expect(subsidy.statusCode, subsidy.body).toBe(201);
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: subsidy.json().uuid,
        access_method: 'assigned',
        display_name: 'Assigned, read in batches',
        active: true,
        spend_limit: 50_000,
      },
    });
    expect(created.statusCode).toBe(201);
    const policyUuid = created.json().uuid as string;
    const token = (i: number) =>
      t.token({
        userId: 96_000 + i,
        email: `assigned${i}@example.com`,
        roles: [`enterprise_learner:${ENTERPRISE_A}`],
      });
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => token(i)));
    const canRedeem = (tok: string) =>
      t.request({
        method: 'GET',
        url: `/access/api/v1/policy-redemption/enterprise-customer/${ENTERPRISE_A}/can-redeem/?content_key=${encodeURIComponent(w.run.key)}`,
        as: tok,
      });
    // Learner 0 has signed in before the allocation (their assignment carries their id); learner 1
    // has not (theirs matches by email, whatever its case); the other ten have none.
    expect((await canRedeem(tokens[0] ?? '')).statusCode).toBe(200);
    const allocated = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      as: as.adminA,
      payload: {
        learner_emails: ['assigned0@example.com', 'Assigned1@Example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
    });
    expect(allocated.statusCode, allocated.body).toBe(202);
    const before = canRedeemBatchStats(t.app.campus);
    const items = (await Promise.all(tokens.map((tok) => canRedeem(tok)))).map((r) => {
      expect(r.statusCode).toBe(200);
      return r.json()[0];
    });
    for (const [i, item] of items.entries()) {
      if (i < 2) {
        expect(item, `learner ${i}`).toMatchObject({
          can_redeem: true,
          redeemable_subsidy_access_policy: { uuid: policyUuid },
          list_price: { usd_cents: 10_000 },
        });
      } else {
        expect(item, `learner ${i}`).toMatchObject({ can_redeem: false });
        expect(item.reasons[0].reason).toBe('reason_learner_not_assigned_content');
      }
    }
    const stats = canRedeemBatchStats(t.app.campus);
    expect(stats.items - before.items).toBe(12);
    expect(stats.largest).toBeGreaterThan(1);
  });
});
