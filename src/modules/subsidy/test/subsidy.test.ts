import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { verifyLedgers } from '../../ledger/index.js';
import { isRefundable } from '../index.js';
import { POLICY, subsidyWorld } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;

describe('subsidies', () => {
  let t: TestApp;
  let as: As;
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

  const subsidyUrl = () => `/subsidy/api/v1/subsidies/${world.subsidy.uuid}/`;
  const redeem = (payload: object, who: string | null = as.operator) =>
    t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/`,
      payload: { subsidy_access_policy_uuid: POLICY, ...payload },
      as: who,
    });

  it('creates a subsidy whose starting balance is its first deposit, and finds it again by reference', async () => {
    expect(world.subsidy).toMatchObject({
      current_balance: 100_000,
      starting_balance: 100_000,
      total_deposits: 100_000,
      is_active: true,
      enterprise_customer_uuid: ENTERPRISE_A,
    });
    const again = await t.request({
      method: 'POST',
      url: '/subsidy/api/v1/subsidies/',
      as: as.operator,
      payload: {
        reference_id: world.subsidy.reference_id,
        default_title: 'ignored',
        default_enterprise_customer_uuid: ENTERPRISE_A,
        default_active_datetime: null,
        default_expiration_datetime: null,
        default_starting_balance: 5,
      },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ uuid: world.subsidy.uuid, title: 'Acme learner credit' });
  });

  it('makes a new internal-only subsidy on every call', async () => {
    const make = () =>
      t.request({
        method: 'POST',
        url: '/subsidy/api/v1/subsidies/',
        as: as.operator,
        payload: {
          reference_id: 'internal-test',
          default_title: 'test',
          default_enterprise_customer_uuid: ENTERPRISE_B,
          default_active_datetime: null,
          default_expiration_datetime: null,
          default_starting_balance: 0,
          default_internal_only: true,
        },
      });
    const [a, b] = [await make(), await make()];
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().uuid).not.toBe(b.json().uuid);
  });

  it('lists subsidies for the admins of their enterprise only', async () => {
    const mine = await t.request({
      method: 'GET',
      url: `/subsidy/api/v1/subsidies/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as: as.adminA,
    });
    expect(mine.json().results.map((s: { uuid: string }) => s.uuid)).toEqual([world.subsidy.uuid]);
    const other = await t.request({ method: 'GET', url: subsidyUrl(), as: as.adminB });
    expect(other.statusCode).toBe(403);
    const learner = await t.request({ method: 'GET', url: subsidyUrl(), as: as.learnerA });
    expect(learner.statusCode).toBe(403);
  });

  it('redeems at the catalog price, enrolls the learner in the verified mode, and returns it on retry', async () => {
    const first = await redeem({ lms_user_id: 101, content_key: world.run.key });
    expect(first.statusCode).toBe(201);
    const tx = first.json();
    expect(tx).toMatchObject({
      state: 'committed',
      quantity: -10_000,
      lms_user_id: 101,
      content_key: world.run.key,
      parent_content_key: world.course.key,
      content_title: world.course.title,
      subsidy_access_policy_uuid: POLICY,
      unit: 'usd_cents',
      reversal: null,
    });
    expect(tx.transaction_status_api_url).toMatch(
      new RegExp(`^http://localhost(:80)?/subsidy/api/v1/transactions/${tx.uuid}/$`),
    );
    expect(tx.fulfillment_identifier).toMatch(/^[0-9a-f-]{36}$/);
    const again = await redeem({
      lms_user_id: 101,
      content_key: world.run.key,
      idempotency_key: 'a-different-key',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().uuid).toBe(tx.uuid);
    const subsidy = await t.request({ method: 'GET', url: subsidyUrl(), as: as.adminA });
    expect(subsidy.json().current_balance).toBe(90_000);
    const enrollments = await t.request({
      method: 'GET',
      url: '/enterprise/api/v1/enrollments/',
      as: as.learnerA,
    });
    expect(enrollments.json().results).toEqual([
      expect.objectContaining({
        uuid: tx.fulfillment_identifier,
        mode: 'verified',
        course_run_key: world.run.key,
        is_active: true,
      }),
    ]);
    // The learner polls the status URL of their own transaction.
    const poll = await t.request({
      method: 'GET',
      url: `/subsidy/api/v1/transactions/${tx.uuid}/`,
      as: as.learnerA,
    });
    expect(poll.json().state).toBe('committed');
  });

  it('validates a requested price within [0.8, 1.2] of the catalog price, and refuses past it', async () => {
    const at = async (cents: number, user: number) =>
      redeem({ lms_user_id: user, content_key: world.run.key, requested_price_cents: cents });
    expect((await at(8_000, 301)).json().quantity).toBe(-8_000);
    expect((await at(12_000, 302)).json().quantity).toBe(-12_000);
    for (const [cents, user] of [
      [7_999, 303],
      [12_001, 304],
      [0, 305],
    ] as const) {
      const res = await at(cents, user);
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('invalid_requested_price');
    }
    const negative = await at(-100, 306);
    expect(negative.statusCode).toBe(400);
  });

  it('refuses content outside the customer catalogs, closed runs, and unknown content', async () => {
    const closed = await redeem({ lms_user_id: 401, content_key: world.closed.key });
    expect(closed.json().error_code).toBe('enrollment_error');
    const unknown = await redeem({ lms_user_id: 401, content_key: 'course-v1:Nobody+X+1' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error_code).toBe('content_not_found');
    const learner = await redeem({ lms_user_id: 101, content_key: world.run.key }, as.learnerA);
    expect(learner.statusCode).toBe(403);
  });

  it('shows the admin portal Spent table with its filters, table orderings and aggregates', async () => {
    const url = `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/?state=committed&subsidy_access_policy_uuid=${POLICY}&ordering=-course_list_price&include_aggregates=true&page_size=2`;
    const res = await t.request({ method: 'GET', url, as: as.adminA });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(3);
    expect(body.results.map((r: { quantity: number }) => r.quantity)).toEqual([-8_000, -10_000]);
    expect(body.aggregates).toEqual({
      unit: 'usd_cents',
      remaining_subsidy_balance: 70_000,
      total_quantity: -30_000,
    });
    expect(new URL(body.next).searchParams.get('ordering')).toBe('-course_list_price');
    const mineOnly = await t.request({
      method: 'GET',
      url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/transactions/`,
      as: as.learnerA,
    });
    expect(mineOnly.json().results.map((r: { lms_user_id: number }) => r.lms_user_id)).toEqual([101]);
    const learnerPeek = await t.request({ method: 'GET', url, as: as.learnerA });
    expect(learnerPeek.statusCode).toBe(403);
    const v1 = `/subsidy/api/v1/transactions/?subsidy_uuid=${world.subsidy.uuid}`;
    const learnerV1 = await t.request({ method: 'GET', url: v1, as: as.learnerA });
    expect(learnerV1.json().results.map((r: { lms_user_id: number }) => r.lms_user_id)).toEqual([101]);
    const peekOther = await t.request({ method: 'GET', url: `${v1}&lms_user_id=302`, as: as.learnerA });
    expect(peekOther.statusCode).toBe(403);
    const otherAdmin = await t.request({ method: 'GET', url, as: as.adminB });
    expect(otherAdmin.statusCode).toBe(403);
  });

  it('deposits once per key and refuses deposits into an expired subsidy', async () => {
    const deposit = (key: string) =>
      t.request({
        method: 'POST',
        url: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/deposits/`,
        as: as.operator,
        payload: {
          desired_deposit_quantity: 5_000,
          sales_contract_reference_id: 'opp-topup',
          sales_contract_reference_provider: 'salesforce_opportunity_line_item',
          idempotency_key: key,
        },
      });
    expect((await deposit('top-up-1')).statusCode).toBe(201);
    expect((await deposit('top-up-1')).statusCode).toBe(200);
    const s = (await t.request({ method: 'GET', url: subsidyUrl(), as: as.operator })).json();
    expect(s).toMatchObject({ current_balance: 75_000, total_deposits: 105_000 });
    t.clock.set('2027-02-01T00:00:00Z');
    as = await personas(t); // tokens signed at the new time
    try {
      const late = await deposit('top-up-2');
      expect(late.statusCode).toBe(422);
      expect(late.json().error_code).toBe('deposit_on_expired_subsidy');
      const inactive = await redeem({ lms_user_id: 501, content_key: world.run.key });
      expect(inactive.json().error_code).toBe('inactive_subsidy_creation_error');
    } finally {
      t.clock.set('2026-06-01T12:00:00Z');
      as = await personas(t);
    }
  });

  it('refunds an unenrollment inside 14 days, once, and re-redeeming charges again', async () => {
    const tx = (await redeem({ lms_user_id: 101, content_key: world.run.key })).json();
    const unenroll = () =>
      t.request({
        method: 'POST',
        url: `/enterprise/api/v1/enrollments/${tx.fulfillment_identifier}/unenroll/`,
        as: as.learnerA,
      });
    const otherLearner = await t.request({
      method: 'POST',
      url: `/enterprise/api/v1/enrollments/${tx.fulfillment_identifier}/unenroll/`,
      as: as.learnerB,
    });
    expect(otherLearner.statusCode).toBe(404);
    const first = await unenroll();
    expect(first.json()).toMatchObject({ refunded: true, enrollment: { is_active: false } });
    expect((await unenroll()).json()).toMatchObject({
      refunded: true,
      reversal_uuid: first.json().reversal_uuid,
    });
    const reversed = (
      await t.request({ method: 'GET', url: `/subsidy/api/v1/transactions/${tx.uuid}/`, as: as.adminA })
    ).json();
    expect(reversed.reversal.quantity).toBe(10_000);
    const again = await redeem({ lms_user_id: 101, content_key: world.run.key });
    expect(again.statusCode).toBe(201);
    expect(again.json().uuid).not.toBe(tx.uuid);
    expect(again.json().quantity).toBe(-10_000);
  });

  it('lets an operator reverse a redemption, which cancels the enrollment; a second reversal changes nothing', async () => {
    const tx = (await redeem({ lms_user_id: 601, content_key: world.run.key })).json();
    const reverse = () =>
      t.request({
        method: 'POST',
        url: `/subsidy/api/v2/transactions/${tx.uuid}/reverse/`,
        as: as.operator,
        payload: {},
      });
    const r1 = await reverse();
    expect(r1.statusCode).toBe(200);
    expect(r1.json().reversal).toMatchObject({
      quantity: 10_000,
      idempotency_key: `admin-invoked-reverse-${tx.uuid}`,
    });
    expect((await reverse()).json().reversal.uuid).toBe(r1.json().reversal.uuid);
    expect(
      (
        await t.request({
          method: 'POST',
          url: `/subsidy/api/v2/transactions/${tx.uuid}/reverse/`,
          as: as.adminA,
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('campus ledger verify --subsidy', () => {
  it("checks the subsidy's ledger and refuses an unknown subsidy", async () => {
    const { verifyCommand } = await import('../../../cli/ledger.js');
    const t = await testApp();
    try {
      const as = await personas(t);
      const world = await subsidyWorld(t, as.staff);
      const lines: string[] = [];
      const io = { out: (line: string) => lines.push(line), err: () => {}, tty: null, cwd: '.' };
      expect(await verifyCommand(t.app.campus, { subsidy: [world.subsidy.uuid] }, io)).toBe(0);
      expect(lines).toContain('1 ledger(s) checked, 0 mismatch(es)');
      await expect(verifyCommand(t.app.campus, { subsidy: [POLICY] }, io)).rejects.toThrow(
        `No subsidy ${POLICY}`,
      );
    } finally {
      await t.close();
    }
  });
});

describe('refund window', () => {
  const day = 86_400_000;
  const at = (s: string) => new Date(s);
  it('refunds strictly before 14 days after the later of run start and redemption', () => {
    // Redeemed Jan 10 for a run that started Jan 1: the window closes at Jan 24 00:00.
    expect(
      isRefundable(at('2020-01-01T00:00:00Z'), at('2020-01-10T00:00:00Z'), at('2020-01-23T00:00:00Z')),
    ).toBe(true);
    expect(
      isRefundable(at('2020-01-01T00:00:00Z'), at('2020-01-10T00:00:00Z'), at('2020-01-24T00:00:00Z')),
    ).toBe(false);
    // Redeemed Jan 1 for a run starting Jan 10: anchored on the start.
    expect(
      isRefundable(at('2020-01-10T00:00:00Z'), at('2020-01-01T00:00:00Z'), at('2020-01-23T23:59:59Z')),
    ).toBe(true);
    expect(
      isRefundable(
        at('2020-01-10T00:00:00Z'),
        at('2020-01-01T00:00:00Z'),
        new Date(at('2020-01-10T00:00:00Z').getTime() + 14 * day),
      ),
    ).toBe(false);
    expect(isRefundable(null, at('2020-01-01T00:00:00Z'), at('2020-01-02T00:00:00Z'))).toBe(false);
  });
});
