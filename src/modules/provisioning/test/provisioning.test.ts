import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { provisioningView } from '../provisioning.schemas.js';
import { catalogWorld, provisioningAdmin, provisioningRequest } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;

const TABLES = [
  'enterprise_customers',
  'enterprise_catalogs',
  'enterprise_pending_admins',
  'subsidies',
  'ledger_deposits',
  'subsidy_access_policies',
  'outbox',
  'workflows',
  'workflow_steps',
] as const;

describe('provisioning a customer', () => {
  let t: TestApp;
  let as: As;
  let provisioner: string;
  let world: Awaited<ReturnType<typeof catalogWorld>>;
  /** The step to fail once (the test hook), or null. */
  const fault: { step: string | null } = { step: null };

  beforeAll(async () => {
    t = await testApp({
      workflowFaults: {
        failBefore: (id) => {
          if (id !== fault.step) return false;
          fault.step = null;
          return true;
        },
      },
    });
    as = await personas(t);
    provisioner = await provisioningAdmin(t);
    world = await catalogWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const provision = (
    payload: object,
    who: string | null = provisioner,
    url = '/access/api/v1/provisioning',
  ) => t.request({ method: 'POST', url, payload, as: who });
  const counts = async (): Promise<Record<(typeof TABLES)[number], number>> =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => {
          const row = await t.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          return [table, Number(row.n)] as const;
        }),
      ),
    ) as Record<(typeof TABLES)[number], number>;

  it('creates the customer, admins, catalog, subsidy with its deposit and policies, and answers 201 with them', async () => {
    const res = await provision(provisioningRequest('acme-learning', world.org));

    expect(res.statusCode).toBe(201);
    const body = provisioningView.parse(res.json());
    expect(body.enterprise_customer).toMatchObject({
      name: 'acme-learning Inc.',
      slug: 'acme-learning',
      country: 'US',
    });
    expect(body.customer_admins).toEqual({
      created_admins: [
        { user_email: 'boss@acme-learning.example.com' },
        { user_email: 'deputy@acme-learning.example.com' },
      ],
      existing_admins: [],
    });
    const customer = body.enterprise_customer.uuid;
    expect(body.enterprise_catalog).toMatchObject({
      enterprise_customer_uuid: customer,
      title: 'acme-learning catalog',
      content_filter: { org: world.org },
    });
    expect(body.subsidy).toMatchObject({
      enterprise_customer_uuid: customer,
      starting_balance_cents: 500_000,
      internal_only: false,
      active_datetime: '2026-01-01T00:00:00.000Z',
      initial_deposit: { quantity: 500_000, sales_contract_reference_id: 'provisioning:acme-learning' },
    });
    expect(body.policies.map((p) => [p.display_name, p.policy_type, p.spend_limit, p.active])).toEqual([
      ['Open budget', 'PerLearnerSpendCreditAccessPolicy', 300_000, true],
      ['Assigned budget', 'AssignedLearnerCreditAccessPolicy', 200_000, true],
    ]);
    expect(body.policies[1]?.assignment_configuration_uuid).toEqual(expect.any(String));
    for (const p of body.policies) {
      expect(p).toMatchObject({
        catalog_uuid: body.enterprise_catalog.uuid,
        subsidy_uuid: body.subsidy.uuid,
      });
    }

    // The records are the real ones, read back through their own modules' endpoints.
    const subsidy = await t.request({
      method: 'GET',
      url: `/subsidy/api/v1/subsidies/${body.subsidy.uuid}/`,
      as: as.operator,
    });
    expect(subsidy.json()).toMatchObject({ current_balance: 500_000, total_deposits: 500_000 });
    const workflow = await t.request({
      method: 'GET',
      url: `/access/api/v1/provisioning/workflows/${body.workflow_uuid}/`,
      as: provisioner,
    });
    expect(workflow.json()).toMatchObject({
      state: 'succeeded',
      key: 'provision:acme-learning',
      attempts: 1,
    });
    expect(
      workflow.json().steps.map((s: { step_id: string; state: string }) => [s.step_id, s.state]),
    ).toEqual([
      ['get-or-create-customer', 'succeeded'],
      ['get-or-create-admins', 'succeeded'],
      ['get-or-create-catalog', 'succeeded'],
      ['get-or-create-subsidy', 'succeeded'],
      ['get-or-create-policies', 'succeeded'],
      ['queue-welcome-emails', 'succeeded'],
    ]);
  });

  it("lets the new customer's learner can-redeem and redeem through the provisioned policy", async () => {
    const body = (await provision(provisioningRequest('acme-learning', world.org))).json();
    const customer = body.enterprise_customer.uuid;
    const open = body.policies.find((p: { display_name: string }) => p.display_name === 'Open budget');
    const learner = await t.token({
      userId: 7001,
      email: 'new.learner@acme-learning.example.com',
      roles: [`enterprise_learner:${customer}`],
    });

    const can = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/enterprise-customer/${customer}/can-redeem/?content_key=${encodeURIComponent(world.run.key)}`,
      as: learner,
    });
    expect(can.statusCode).toBe(200);
    expect(can.json()[0]).toMatchObject({
      can_redeem: true,
      redeemable_subsidy_access_policy: { uuid: open.uuid },
    });

    const redeem = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${open.uuid}/redeem/`,
      payload: { content_key: world.run.key },
      as: learner,
    });
    expect(redeem.statusCode).toBe(201);
    expect(redeem.json()).toMatchObject({ state: 'committed', quantity: -10_000, lms_user_id: 7001 });
  });

  it('answers the same request again with the same records and creates nothing', async () => {
    const before = await counts();
    const first = (await provision(provisioningRequest('acme-learning', world.org))).json();
    const again = await provision(
      provisioningRequest('acme-learning', world.org),
      as.operator,
      '/access/api/v1/provisioning/',
    );

    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first);
    expect(await counts()).toEqual(before);
  });

  it('queues one welcome email per new admin, once', async () => {
    const rows = await t.db.kysely
      .selectFrom('outbox')
      .select(['to_address', 'subject'])
      .where('template', '=', 'provisioning.welcome_admin')
      .orderBy('to_address')
      .execute();
    expect(rows).toEqual([
      { to_address: 'boss@acme-learning.example.com', subject: 'Welcome to acme-learning Inc. on Campus' },
      { to_address: 'deputy@acme-learning.example.com', subject: 'Welcome to acme-learning Inc. on Campus' },
    ]);
  });

  it('refuses another request for a provisioned slug with 409', async () => {
    const res = await provision(provisioningRequest('acme-learning', world.org, { pending_admins: [] }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('workflow_key_conflict');
  });

  it('answers 422 with the workflow when a step fails, and a resume finishes without duplicating records', async () => {
    fault.step = 'get-or-create-policies';
    const failed = await provision(provisioningRequest('globex-corp', world.org));

    expect(failed.statusCode).toBe(422);
    const uuid = failed.json().workflow_uuid;
    expect(failed.json()).toEqual({
      detail: 'Error in provisioning workflow: injected failure before step get-or-create-policies',
      error_code: 'provisioning_error',
      workflow_uuid: uuid,
    });
    const stopped = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/provisioning/workflows/${uuid}/`,
        as: as.operator,
      })
    ).json();
    expect(stopped).toMatchObject({ state: 'failed', failed_step_id: 'get-or-create-policies' });
    expect(stopped.steps.map((s: { state: string }) => s.state)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'pending',
    ]);
    const subsidyStep = stopped.steps.find((s: { step_id: string }) => s.step_id === 'get-or-create-subsidy');
    const failedList = await t.request({
      method: 'GET',
      url: '/access/api/v1/provisioning/workflows/?state=failed',
      as: provisioner,
    });
    expect(failedList.json()).toMatchObject({ count: 1, results: [{ uuid, state: 'failed' }] });
    const before = await counts();

    const resumed = await t.request({
      method: 'POST',
      url: `/access/api/v1/provisioning/workflows/${uuid}/resume/`,
      as: provisioner,
    });

    expect(resumed.statusCode).toBe(200);
    const body = resumed.json();
    expect(body.workflow_uuid).toBe(uuid);
    expect(body.subsidy.uuid).toBe(subsidyStep.output.uuid);
    expect(body.policies).toHaveLength(2);
    const after = await counts();
    // Only the policies and the welcome emails are new; the steps that had succeeded made nothing again.
    expect(after).toEqual({
      ...before,
      subsidy_access_policies: before.subsidy_access_policies + 2,
      outbox: before.outbox + 2,
    });
    const done = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/provisioning/workflows/${uuid}/`,
        as: provisioner,
      })
    ).json();
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(done.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1, 1, 1, 2, 1]);
  });

  it('resumes a failed provisioning when the same request is sent again', async () => {
    fault.step = 'get-or-create-subsidy';
    const failed = await provision(provisioningRequest('initech', world.org));
    expect(failed.statusCode).toBe(422);

    const again = await provision(provisioningRequest('initech', world.org));
    expect(again.statusCode).toBe(201);
    expect(again.json().workflow_uuid).toBe(failed.json().workflow_uuid);
  });

  it('finds a customer that already has the slug instead of creating one', async () => {
    const existing = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-customer/',
      payload: { name: 'Umbrella', slug: 'umbrella' },
      as: as.operator,
    });
    const res = await provision(provisioningRequest('umbrella', world.org));
    expect(res.statusCode).toBe(201);
    expect(res.json().enterprise_customer).toMatchObject({ uuid: existing.json().uuid, name: 'Umbrella' });
  });

  it('refuses an invalid request with 400 before anything is written', async () => {
    const before = await counts();
    const bad = (changes: Record<string, unknown>) =>
      provision(provisioningRequest('hooli', world.org, changes));
    const cases = await Promise.all([
      bad({ enterprise_customer: { name: 'Hooli', slug: 'Not A Slug', country: 'US' } }),
      bad({ enterprise_customer: { name: 'Hooli', slug: 'hooli', country: 'USA' } }),
      bad({ unexpected: true }),
      bad({ pending_admins: [{ user_email: 'not-an-email' }] }),
      bad({ enterprise_catalog: { title: 'x', content_filter: { color: 'red' } } }),
      bad({
        subsidy: {
          title: 's',
          starting_balance_cents: 100,
          active_datetime: '2027-01-01T00:00:00Z',
          expiration_datetime: '2026-01-01T00:00:00Z',
        },
      }),
      bad({
        policies: [
          { policy_type: 'AssignedLearnerCreditAccessPolicy', access_method: 'assigned', display_name: 'A' },
        ],
      }),
      bad({
        policies: [
          {
            policy_type: 'PerLearnerSpendCreditAccessPolicy',
            access_method: 'direct',
            display_name: 'A',
            active: true,
            spend_limit: 400_000,
          },
          {
            policy_type: 'PerLearnerSpendCreditAccessPolicy',
            access_method: 'direct',
            display_name: 'A',
            active: true,
            spend_limit: 400_000,
          },
        ],
      }),
    ]);
    expect(cases.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400, 400, 400, 400]);
    expect(cases[4]?.json().errors).toHaveProperty(['enterprise_catalog.content_filter.color']);
    expect(cases[5]?.json().errors).toHaveProperty(['subsidy.expiration_datetime']);
    expect(cases[6]?.json().errors).toHaveProperty(['policies.0.spend_limit']);
    expect(Object.keys(cases[7]?.json().errors).sort()).toEqual([
      'policies',
      'policies.1.display_name',
      'policies.1.policy_type',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('admits only provisioning admins and operators', async () => {
    const payload = provisioningRequest('acme-learning', world.org);
    const codes = await Promise.all(
      [null, as.learnerA, as.adminA, as.catalogAdmin].map(async (who) => [
        (await provision(payload, who)).statusCode,
        (await t.request({ method: 'GET', url: '/access/api/v1/provisioning/workflows/', as: who }))
          .statusCode,
      ]),
    );
    expect(codes).toEqual([
      [401, 401],
      [403, 403],
      [403, 403],
      [403, 403],
    ]);
  });
});
