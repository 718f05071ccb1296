import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { subsidyWorld } from '../../../../test/support/worlds.js';
import { verifyLedgers } from '../../ledger/index.js';

type As = Awaited<ReturnType<typeof personas>>;
type Json = Record<string, unknown> & { uuid: string };

const API = '/access/api/v1/subsidy-access-policies';

describe('subsidy access policies', () => {
  let t: TestApp;
  let as: As;
  let world: Awaited<ReturnType<typeof subsidyWorld>>;
  let catalogA: string;
  let catalogB: string;
  let refs = 0;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    world = await subsidyWorld(t, as.staff);
    const catalogOf = async (customer: string) => {
      const res = await t.request({
        method: 'GET',
        url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer=${customer}`,
        as: as.operator,
      });
      return res.json().results[0].uuid as string;
    };
    catalogA = await catalogOf(ENTERPRISE_A);
    catalogB = await catalogOf(ENTERPRISE_B);
    for (const [id, name] of [
      [301, 'ada'],
      [302, 'bob'],
      [303, 'cyd'],
    ] as const) {
      await ok('POST', `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`, {
        lms_user_id: id,
        username: name,
        email: `${name}@example.com`,
      });
    }
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.close();
  });

  async function ok(method: 'POST' | 'GET' | 'PATCH', url: string, payload?: object, who = as.operator) {
    const res = await t.request({ method, url, payload, as: who });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /**
   * A fresh subsidy, so that each test's sums of spend limits start from its own deposits
   * (docs/decisions/0001-spend-limits-within-deposits.md).
   */
  async function newSubsidy(cents: number, customer = ENTERPRISE_A, expiration = '2027-01-01T00:00:00Z') {
    return ok('POST', '/subsidy/api/v1/subsidies/', {
      reference_id: `policies-${++refs}`,
      default_title: `budget ${refs}`,
      default_enterprise_customer_uuid: customer,
      default_active_datetime: '2026-01-01T00:00:00Z',
      default_expiration_datetime: expiration,
      default_starting_balance: cents,
    }) as Promise<Json>;
  }

  const base = (subsidyUuid: string, extra: object = {}) => ({
    policy_type: 'PerLearnerSpendCreditAccessPolicy',
    enterprise_customer_uuid: ENTERPRISE_A,
    catalog_uuid: catalogA,
    subsidy_uuid: subsidyUuid,
    access_method: 'direct',
    display_name: 'Budget',
    description: 'For everyone',
    active: true,
    ...extra,
  });
  const create = (payload: object, who: string | null = as.operator) =>
    t.request({ method: 'POST', url: `${API}/`, payload, as: who });
  const patch = (uuid: string, payload: object, method: 'PATCH' | 'PUT' = 'PATCH') =>
    t.request({ method, url: `${API}/${uuid}/`, payload, as: as.operator });
  const get = (uuid: string, who: string | null = as.adminA) =>
    t.request({ method: 'GET', url: `${API}/${uuid}/`, as: who });
  async function policy(subsidyUuid: string, extra: object = {}): Promise<Json> {
    const res = await create(base(subsidyUuid, extra));
    if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  /** A $100 redemption through the policy (the subsidy's operator endpoint names the policy). */
  const spend = (subsidyUuid: string, policyUuid: string, lmsUserId: number) =>
    ok('POST', `/subsidy/api/v2/subsidies/${subsidyUuid}/admin/transactions/`, {
      subsidy_access_policy_uuid: policyUuid,
      lms_user_id: lmsUserId,
      content_key: world.run.key,
    });

  it('lets learners, admins and operators of the customer read, and only operators write (scenario 22)', async () => {
    const p = await policy((await newSubsidy(10_000)).uuid, { spend_limit: 5_000 });
    for (const who of [as.learnerA, as.adminA, as.operator, as.staff]) {
      expect((await get(p.uuid, who)).statusCode).toBe(200);
      const list = await t.request({
        method: 'GET',
        url: `${API}/?enterprise_customer_uuid=${ENTERPRISE_A}`,
        as: who,
      });
      expect(list.statusCode).toBe(200);
    }
    for (const who of [as.learnerB, as.adminB, as.catalogAdmin]) {
      expect((await get(p.uuid, who)).statusCode).toBe(403);
    }
    expect((await get(p.uuid, null)).statusCode).toBe(401);
    for (const who of [as.learnerA, as.adminA]) {
      expect((await create(base(p.subsidy_uuid as string), who)).statusCode).toBe(403);
      const res = await t.request({ method: 'PATCH', url: `${API}/${p.uuid}/`, payload: {}, as: who });
      expect(res.statusCode).toBe(403);
    }
    expect((await get('00000000-0000-4000-8000-00000000dead', as.operator)).statusCode).toBe(404);
  });

  it('lists a customer’s policies with positive-dollar aggregates, filtered by active (scenario 23)', async () => {
    const subsidy = await newSubsidy(50_000, ENTERPRISE_B);
    const make = async (extra: object) => {
      const res = await create({
        ...base(subsidy.uuid, extra),
        enterprise_customer_uuid: ENTERPRISE_B,
        catalog_uuid: catalogB,
      });
      expect(res.statusCode).toBe(201);
      return res.json() as Json;
    };
    const spender = await make({ spend_limit: 30_000 });
    await make({ spend_limit: 5_000, access_method: 'request' });
    await make({ active: false, spend_limit: 1_000, access_method: 'assigned' });
    await ok('POST', `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_B}/learners/`, {
      lms_user_id: 401,
      username: 'dee',
      email: 'dee@example.com',
    });
    await spend(subsidy.uuid, spender.uuid, 401);

    const list = (query: string) =>
      t.request({
        method: 'GET',
        url: `${API}/?enterprise_customer_uuid=${ENTERPRISE_B}${query}`,
        as: as.adminB,
      });
    const active = (await list('&active=true')).json();
    expect(active.count).toBe(2);
    const listed = active.results.find((p: Json) => p.uuid === spender.uuid);
    expect(listed).toMatchObject({
      aggregates: {
        amount_redeemed_usd_cents: 10_000,
        amount_redeemed_usd: 100,
        amount_allocated_usd_cents: 0,
        amount_allocated_usd: 0,
        // min(limit − redeemed, subsidy balance) = min(20,000, 40,000)
        spend_available_usd_cents: 20_000,
        spend_available_usd: 200,
      },
      subsidy_active_datetime: '2026-01-01T00:00:00.000Z',
      subsidy_expiration_datetime: '2027-01-01T00:00:00.000Z',
      is_subsidy_active: true,
      retired: false,
      retired_at: null,
      bnr_enabled: false,
      assignment_configuration: null,
      group_associations: [],
      is_late_redemption_allowed: false,
      total_spend_limits_for_subsidy: 35_000,
      total_deposits_for_subsidy: 50_000,
    });
    expect(listed.policy_redemption_url).toMatch(
      new RegExp(`^http://localhost(:80)?/access/api/v1/policy-redemption/${spender.uuid}/redeem/$`),
    );
    expect((await list('&active=false')).json().count).toBe(1);
    expect((await list('&policy_type=PerLearnerEnrollmentCreditAccessPolicy')).json().count).toBe(0);
    expect((await list('')).json().count).toBe(3);

    const missing = await t.request({ method: 'GET', url: `${API}/`, as: as.operator });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.enterprise_customer_uuid).toEqual([
      'enterprise_customer_uuid is required: the customer whose policies to list.',
    ]);
  });

  it('puts a customer’s whole policy list on its first page (the admin portal reads no other)', async () => {
    const subsidy = await newSubsidy(10_000, ENTERPRISE_B);
    // Inactive policies are never twins of one another, so the same payload makes new ones.
    for (let i = 0; i < 25; i++) {
      await create({
        ...base(subsidy.uuid, { active: false }),
        enterprise_customer_uuid: ENTERPRISE_B,
        catalog_uuid: catalogB,
      });
    }
    const page = (
      await t.request({
        method: 'GET',
        url: `${API}/?enterprise_customer_uuid=${ENTERPRISE_B}`,
        as: as.adminB,
      })
    ).json();
    expect(page.count).toBeGreaterThan(25);
    expect(page.results).toHaveLength(page.count);
    expect(page.next).toBeNull();
  });

  it('creates each type within its constraints, idempotently (scenario 24)', async () => {
    const subsidy = await newSubsidy(100_000);
    const enrollment = { policy_type: 'PerLearnerEnrollmentCreditAccessPolicy' };
    expect(
      (await create(base(subsidy.uuid, { ...enrollment, per_learner_enrollment_limit: 3 }))).statusCode,
    ).toBe(201);
    expect((await create(base(subsidy.uuid, { ...enrollment, access_method: 'request' }))).statusCode).toBe(
      201,
    );
    const spendPolicy = base(subsidy.uuid, { catalog_uuid: catalogA, per_learner_spend_limit: 20_000 });
    const first = await create(spendPolicy);
    expect(first.statusCode).toBe(201);
    const again = await create({ ...spendPolicy, display_name: 'ignored' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ uuid: first.json().uuid, display_name: 'Budget' });

    const badEnrollment = await create(base(subsidy.uuid, { ...enrollment, per_learner_spend_limit: 100 }));
    expect(badEnrollment.statusCode).toBe(400);
    expect(badEnrollment.json()).toMatchObject({
      error_code: 'policy_field_violations',
      errors: { per_learner_spend_limit: ['must not define a per-learner spend limit.'] },
    });
    expect(badEnrollment.json().detail).toMatch(
      /^<PerLearnerEnrollmentCreditAccessPolicy uuid=[0-9a-f-]{36}> has the following field violations: \['must not define a per-learner spend limit\.'\]$/,
    );
    const badSpend = await create(
      base(subsidy.uuid, { per_learner_enrollment_limit: 2, access_method: 'request' }),
    );
    expect(badSpend.statusCode).toBe(400);
    expect(badSpend.json().detail).toContain('must not define a per-learner enrollment limit');

    const assigned = { policy_type: 'AssignedLearnerCreditAccessPolicy' };
    const noLimit = await create(base(subsidy.uuid, assigned));
    expect(noLimit.statusCode).toBe(400);
    expect(noLimit.json().errors).toEqual({ spend_limit: ['must define a spend_limit.'] });
    const madeAssigned = await create(base(subsidy.uuid, { ...assigned, spend_limit: 10_000 }));
    expect(madeAssigned.statusCode).toBe(201);
    expect(madeAssigned.json().access_method).toBe('assigned');
  });

  it('refuses a subsidy, catalog or group that is not the customer’s', async () => {
    const subsidyOfB = await newSubsidy(1_000, ENTERPRISE_B);
    const subsidyOfA = await newSubsidy(1_000);
    const foreignSubsidy = await create(base(subsidyOfB.uuid));
    expect(foreignSubsidy.statusCode).toBe(400);
    expect(foreignSubsidy.json()).toMatchObject({
      error_code: 'subsidy_of_another_customer',
      errors: { subsidy_uuid: ['Subsidy is not assigned to the same enterprise customer as the budget'] },
    });
    const unknown = await create(base('00000000-0000-4000-8000-00000000beef'));
    expect(unknown.json()).toMatchObject({ error_code: 'subsidy_not_found' });
    const foreignCatalog = await create(base(subsidyOfA.uuid, { catalog_uuid: catalogB }));
    expect(foreignCatalog.json()).toMatchObject({ error_code: 'catalog_of_another_customer' });
    const groupOfB = await ok('POST', '/enterprise/api/v1/enterprise-group/', {
      enterprise_customer: ENTERPRISE_B,
      name: 'B group',
    });
    const foreignGroup = await create(base(subsidyOfA.uuid, { group_associations: [groupOfB.uuid] }));
    expect(foreignGroup.statusCode).toBe(400);
    expect(foreignGroup.json().error_code).toBe('unknown_group');
  });

  it('updates partially with PUT and PATCH, refusing keys that are not updatable (scenario 25)', async () => {
    const p = await policy((await newSubsidy(100_000)).uuid, { spend_limit: 10_000 });
    const put = await patch(p.uuid, { display_name: '  Renamed  ' }, 'PUT');
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      display_name: 'Renamed',
      spend_limit: 10_000,
      description: 'For everyone',
    });
    const bad = await patch(p.uuid, {
      enterprise_customer_uuid: ENTERPRISE_B,
      uuid: p.uuid,
      policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
      created: '2026-01-01T00:00:00Z',
      modified: '2026-01-01T00:00:00Z',
      nonsense_key: 1,
      description: 'fine',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error_code: 'fields_not_updatable',
      detail:
        'Field(s) are not updatable: created, enterprise_customer_uuid, modified, nonsense_key, policy_type, uuid',
    });
    const forbidden = await patch(p.uuid, { per_learner_enrollment_limit: 3 });
    expect(forbidden.statusCode).toBe(400);
    expect(forbidden.json().detail).toContain('must not define a per-learner enrollment limit');
    expect((await get(p.uuid)).json().description).toBe('For everyone');
  });

  it('keeps the active spend limits of a subsidy within its deposits (decision 0001)', async () => {
    const subsidy = await newSubsidy(100_000);
    const a = await policy(subsidy.uuid, { spend_limit: 60_000 });
    // Campus checks on create as well (the reference only on update): an active policy whose
    // limit does not fit the deposits is refused up front rather than on its first change.
    const tooMuch = await create(base(subsidy.uuid, { spend_limit: 40_001, access_method: 'request' }));
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ error_code: 'spend_limit_exceeds_deposits' });
    expect(tooMuch.json().detail).toMatch(
      /^<PerLearnerSpendCreditAccessPolicy uuid=[0-9a-f-]{36}> You cannot make this change, as the sum of all budget spend_limits for a given subsidy would exceed the sum of all deposits into that subsidy\. If you are trying to re-balance policies, FIRST reduce the spend_limit of one, THEN increase the spend_limit of another\. Error: \$1,000\.01 is greater than \$1,000\.00$/,
    );
    // Inactive, it may wait; activating it is checked.
    const b = (
      await create(base(subsidy.uuid, { spend_limit: 50_000, access_method: 'request', active: false }))
    ).json() as Json;
    expect(b.active).toBe(false);
    const activate = await patch(b.uuid, { active: true });
    expect(activate.statusCode).toBe(422);
    expect(activate.json().detail).toContain('Error: $1,100.00 is greater than $1,000.00');
    // Raising an active limit past the deposits is refused; deactivating with the same change is not.
    expect((await patch(a.uuid, { spend_limit: 100_001 })).statusCode).toBe(422);
    expect((await patch(a.uuid, { spend_limit: 100_001, active: false })).statusCode).toBe(200);
    // Re-balancing: first reduce one, then raise the other.
    expect((await patch(a.uuid, { spend_limit: 50_000, active: true })).statusCode).toBe(200);
    const activated = await patch(b.uuid, { active: true });
    expect(activated.statusCode).toBe(200);
    expect(activated.json()).toMatchObject({
      total_spend_limits_for_subsidy: 100_000,
      total_deposits_for_subsidy: 100_000,
    });
    // Unlimited (null) counts as 0.
    expect((await patch(a.uuid, { spend_limit: null })).statusCode).toBe(200);
    expect((await get(b.uuid)).json().total_spend_limits_for_subsidy).toBe(50_000);
  });

  it('retires a policy, which stays visible with retired_at, and un-retires it (decision 0003)', async () => {
    const p = await policy((await newSubsidy(10_000)).uuid);
    t.clock.advance(60_000);
    const retired = await patch(p.uuid, { retired: true, retired_at: '2020-01-01T00:00:00Z' });
    expect(retired.statusCode).toBe(200);
    expect(retired.json()).toMatchObject({
      retired: true,
      active: true,
      retired_at: t.clock.now().toISOString(),
    });
    const list = await t.request({
      method: 'GET',
      url: `${API}/?enterprise_customer_uuid=${ENTERPRISE_A}&active=true`,
      as: as.adminA,
    });
    expect(list.json().results.map((r: Json) => r.uuid)).toContain(p.uuid);
    const back = await patch(p.uuid, { retired: false });
    expect(back.json()).toMatchObject({ retired: false, retired_at: null });
  });

  it('soft-deletes with an optional reason (scenario 26)', async () => {
    const subsidy = await newSubsidy(10_000);
    const p = await policy(subsidy.uuid);
    const del = await t.request({
      method: 'DELETE',
      url: `${API}/${p.uuid}/`,
      payload: { reason: 'Peer Pressure.' },
      as: as.operator,
    });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ uuid: p.uuid, active: false });
    const twice = await t.request({ method: 'DELETE', url: `${API}/${p.uuid}/`, as: as.operator });
    expect(twice.statusCode).toBe(200);
    expect((await get(p.uuid)).json().active).toBe(false);
    const missing = await t.request({
      method: 'DELETE',
      url: `${API}/00000000-0000-4000-8000-00000000dead/`,
      as: as.operator,
    });
    expect(missing.statusCode).toBe(404);
    // A deleted policy is no twin: the same payload makes a new one.
    expect((await create(base(subsidy.uuid))).statusCode).toBe(201);
  });

  it('refuses to deactivate a policy with spend, retired or not; retiring it is the way (scenario 16)', async () => {
    // The reference lets this ValidationError escape as a 500; Campus answers 422 policy_has_spend.
    const subsidy = await newSubsidy(50_000);
    const p = await policy(subsidy.uuid, { spend_limit: 20_000 });
    await spend(subsidy.uuid, p.uuid, 301);
    const del = await t.request({ method: 'DELETE', url: `${API}/${p.uuid}/`, as: as.operator });
    expect(del.statusCode).toBe(422);
    expect(del.json()).toEqual({
      detail: 'Cannot deactivate this policy while it has existing spend.',
      error_code: 'policy_has_spend',
      errors: { active: ['Cannot deactivate this policy while it has existing spend.'] },
    });
    expect((await patch(p.uuid, { active: false })).statusCode).toBe(422);
    const retired = await patch(p.uuid, { retired: true });
    expect(retired.statusCode).toBe(200);
    expect((await patch(p.uuid, { active: false })).json().error_code).toBe('policy_has_spend');
    expect((await get(p.uuid)).json()).toMatchObject({
      active: true,
      retired: true,
      aggregates: { amount_redeemed_usd_cents: 10_000 },
    });
  });

  describe('groups', () => {
    let group: Json;
    let p: Json;
    let subsidyUuid: string;

    beforeAll(async () => {
      group = await ok('POST', '/enterprise/api/v1/enterprise-group/', {
        enterprise_customer: ENTERPRISE_A,
        name: 'G1',
      });
      await ok('POST', `/enterprise/api/v1/enterprise-group/${group.uuid}/assign_learners/`, {
        lms_user_ids: [301, 302, 303],
        learner_emails: ['zed@example.com'],
      });
      subsidyUuid = (await newSubsidy(100_000)).uuid;
      p = await policy(subsidyUuid, { spend_limit: 50_000, group_associations: [group.uuid] });
      await spend(subsidyUuid, p.uuid, 302);
    });

    const members = (query = '', who: string | null = as.adminA) =>
      t.request({ method: 'GET', url: `${API}/${p.uuid}/group-members${query}`, as: who });

    it('associates groups on create and update', async () => {
      expect(p.group_associations).toEqual([group.uuid]);
      const other = await policy((await newSubsidy(1_000)).uuid);
      const set = await patch(other.uuid, { group_associations: [group.uuid, group.uuid] });
      expect(set.json().group_associations).toEqual([group.uuid]);
      expect((await patch(other.uuid, { group_associations: [] })).json().group_associations).toEqual([]);
    });

    it('lists the group’s members with their enrollment counts, pages, search, sort and CSV', async () => {
      const res = await members();
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.count).toBe(4);
      const bob = body.results.find((m: Json) => m.lms_user_id === 302);
      expect(bob).toMatchObject({
        member_details: { user_email: 'bob@example.com', user_name: 'bob' },
        status: 'accepted',
        enrollment_count: 1,
      });
      expect(bob.recent_action).toMatch(/^Accepted: /);
      expect(body.results.find((m: Json) => m.status === 'pending').member_details.user_email).toBe(
        'zed@example.com',
      );

      const paged = (await members('?page=2&page_size=3')).json();
      expect(paged).toMatchObject({ count: 4, num_pages: 2, current_page: 2, next: null });
      expect(paged.results).toHaveLength(1);

      const sorted = (await members('?sort_by=enrollment_count')).json();
      expect(sorted.results[0].lms_user_id).toBe(302);
      const search = (await members('?user_query=CYD')).json();
      expect(search.results.map((m: Json) => m.lms_user_id)).toEqual([303]);

      const csv = await members('?format_csv=true&traverse_pagination=true&learners=bob@example.com');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body.trim().split('\n')).toEqual([
        'email,name,status,recent_action,enrollment_count',
        expect.stringMatching(/^bob@example\.com,bob,accepted,"Accepted: .*",1$/),
      ]);

      // Once cyd signs in with an LMS token carrying their name, the admin portal's Members tab
      // (MemberDetailsTableCell.jsx) shows it as edx-enterprise does, and search finds it.
      const cyd = await t.token({
        userId: 303,
        username: 'cyd',
        email: 'cyd@example.com',
        name: 'Cyd Charisse',
      });
      expect((await t.request({ method: 'GET', url: '/api/v1/me/', as: cyd })).statusCode).toBe(200);
      const named = (await members('?user_query=charisse')).json();
      expect(named.results.map((m: Json) => m.member_details)).toEqual([
        { user_email: 'cyd@example.com', user_name: 'Cyd Charisse' },
      ]);

      const both = await members('?page=1&traverse_pagination=true');
      expect(both.statusCode).toBe(400);
      expect(both.json().detail).toContain('Can only support one param of the following at a time');
      expect((await members('', as.adminB)).statusCode).toBe(403);
      expect((await members(`?group_uuid=${p.uuid}`)).statusCode).toBe(404);
    });

    it("keeps the roster from the enterprise's learners (the reference shows it to them)", async () => {
      for (const query of ['', '?format_csv=true']) {
        const res = await members(query, as.learnerA);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error_code: 'group_members_admins_only' });
        expect(res.body).not.toContain('@example.com');
      }
    });

    it('deletes a group’s associations across the customer’s policies', async () => {
      const url = `/access/api/v1/${ENTERPRISE_A}/delete-group-association/${group.uuid}`;
      expect((await t.request({ method: 'DELETE', url, as: as.adminA })).statusCode).toBe(403);
      const res = await t.request({ method: 'DELETE', url, as: as.operator });
      expect(res.statusCode).toBe(204);
      expect((await get(p.uuid)).json().group_associations).toEqual([]);
      const none = await members();
      expect(none.statusCode).toBe(404);
      expect(none.json().detail).toBe('Policy group not found associated with subsidy');
    });
  });

  describe('deposit funds (decision 0002)', () => {
    const deposit = (uuid: string, payload: object, who: string | null = as.operator) =>
      t.request({ method: 'POST', url: `${API}/${uuid}/deposit-funds/`, payload, as: who });
    const subsidyOf = async (uuid: string) =>
      ok('GET', `/subsidy/api/v1/subsidies/${uuid}/`) as Promise<Json & { total_deposits: number }>;

    it('deposits into the subsidy and raises the limit once per idempotency key (scenario 15)', async () => {
      const subsidy = await newSubsidy(10_000);
      const p = await policy(subsidy.uuid, { spend_limit: 10_000 });
      const payload = {
        desired_deposit_quantity_cents: 5_000,
        sales_contract_reference_id: '00k000000000000001',
        idempotency_key: 'topup-1',
      };
      expect((await deposit(p.uuid, payload, as.adminA)).statusCode).toBe(403);
      const first = await deposit(p.uuid, payload);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        deposit: {
          desired_deposit_quantity: 5_000,
          sales_contract_reference_id: '00k000000000000001',
          sales_contract_reference_provider: 'salesforce_opportunity_line_item',
        },
        policy: { uuid: p.uuid, spend_limit: 15_000, total_deposits_for_subsidy: 15_000 },
      });
      const retry = await deposit(p.uuid, payload);
      expect(retry.statusCode).toBe(200);
      expect(retry.json().deposit.uuid).toBe(first.json().deposit.uuid);
      expect(retry.json().policy.spend_limit).toBe(15_000);
      expect((await subsidyOf(subsidy.uuid)).total_deposits).toBe(15_000);
    });

    it('raises the limit by exactly the sum of concurrent deposits', async () => {
      const subsidy = await newSubsidy(10_000);
      const p = await policy(subsidy.uuid, { spend_limit: 10_000 });
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          deposit(p.uuid, {
            desired_deposit_quantity_cents: 1_000 * i,
            sales_contract_reference_id: `00k00000000000000${i}`,
            idempotency_key: `concurrent-${i}`,
          }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expect((await get(p.uuid)).json()).toMatchObject({
        spend_limit: 25_000,
        total_deposits_for_subsidy: 25_000,
      });
    });

    it('leaves both the subsidy and the limit untouched when the deposit is refused', async () => {
      const expired = await newSubsidy(10_000, ENTERPRISE_A, '2026-05-01T00:00:00Z');
      const p = await policy(expired.uuid, { spend_limit: 10_000 });
      const late = await deposit(p.uuid, {
        desired_deposit_quantity_cents: 5_000,
        sales_contract_reference_id: '00k000000000000009',
      });
      expect(late.statusCode).toBe(422);
      expect(late.json().error_code).toBe('deposit_on_expired_subsidy');
      const live = await newSubsidy(10_000);
      const q = await policy(live.uuid, { spend_limit: 10_000 });
      const unknownProvider = await deposit(q.uuid, {
        desired_deposit_quantity_cents: 5_000,
        sales_contract_reference_id: '00k000000000000009',
        sales_contract_reference_provider: 'nobody',
      });
      expect(unknownProvider.statusCode).toBe(400);
      for (const [s, pol] of [
        [expired, p],
        [live, q],
      ] as const) {
        expect((await subsidyOf(s.uuid)).total_deposits).toBe(10_000);
        expect((await get(pol.uuid)).json().spend_limit).toBe(10_000);
      }
      const missing = await deposit('00000000-0000-4000-8000-00000000dead', {
        desired_deposit_quantity_cents: 1,
        sales_contract_reference_id: 'x',
      });
      expect(missing.statusCode).toBe(404);
    });
  });
});
