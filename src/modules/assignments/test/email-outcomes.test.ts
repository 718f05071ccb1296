import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { deliverPending } from '../../notifications/index.js';
import { assignmentsWorld, deliverMail } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;
interface Action {
  action_type: string;
  completed_at: string | null;
  error_reason: string | null;
}

/**
 * The learner-link step and the emails of an assignment as actions: an email action waits for
 * the delivery worker and becomes completed (SMTP took it) or errored with `email_error` (SMTP
 * refused it for good), which is what the admin table's learner_state shows.
 */
describe('assignment emails and the learner-link step', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const adminApi = (config: string) => `/access/api/v1/assignment-configurations/${config}/admin/assignments`;
  const allocate = async (policyUuid: string, emails: string[]) => {
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(202);
    return res.json();
  };
  const row = async (config: string, uuid: string) =>
    (await t.request({ method: 'GET', url: `${adminApi(config)}/${uuid}/`, as: as.adminA })).json();
  const actionsOf = async (config: string, uuid: string) => (await row(config, uuid)).actions as Action[];

  it('notifying until SMTP answers; waiting once it took the email; failed with email_error when it refused (D15)', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await allocate(policy.uuid, ['ok.mail@example.com', 'bounce.mail@example.com']);
    const uuidOf = (email: string) =>
      made.created.find((a: { learner_email: string }) => a.learner_email === email).uuid as string;
    const ok = uuidOf('ok.mail@example.com');
    const bounce = uuidOf('bounce.mail@example.com');

    const before = await t.request({ method: 'GET', url: `${adminApi(config)}/`, as: as.adminA });
    expect(before.json().learner_state_counts).toEqual([{ learner_state: 'notifying', count: 2 }]);

    // A temporary failure is not an outcome: the message is retried and the action still waits.
    const flaky = await deliverPending(
      t.app.campus,
      {
        async send() {
          throw new Error('421 try again later');
        },
        close() {},
      },
      { maxAttempts: 3 },
    );
    expect(flaky).toMatchObject({ retrying: 2, failed: 0 });
    expect((await row(config, bounce)).learner_state).toBe('notifying');

    t.clock.advance(120_000); // past the retry back-off
    const sent = await deliverMail(t, (to) => to.startsWith('bounce'));
    expect(sent).toEqual(['ok.mail@example.com']);

    const good = await row(config, ok);
    expect(good).toMatchObject({ state: 'allocated', learner_state: 'waiting', error_reason: null });
    expect(good.actions.find((a: Action) => a.action_type === 'notified').completed_at).toBe(
      t.clock.now().toISOString(),
    );
    const bad = await row(config, bounce);
    // The state stays allocated: the learner can still find the assignment in the portal.
    expect(bad).toMatchObject({
      state: 'allocated',
      learner_state: 'failed',
      error_reason: { action_type: 'notified', error_reason: 'email_error' },
    });
    const failedAction = (await actionsOf(config, bounce)).find((a) => a.action_type === 'notified');
    expect(failedAction).toMatchObject({ completed_at: null, error_reason: 'email_error' });

    const failedOnly = await t.request({
      method: 'GET',
      url: `${adminApi(config)}/?learner_state=failed`,
      as: as.adminA,
    });
    expect(failedOnly.json().results.map((r: { uuid: string }) => r.uuid)).toEqual([bounce]);
    const all = await t.request({ method: 'GET', url: `${adminApi(config)}/`, as: as.adminA });
    expect(
      [...all.json().learner_state_counts].sort((a, b) => a.learner_state.localeCompare(b.learner_state)),
    ).toEqual([
      { learner_state: 'failed', count: 1 },
      { learner_state: 'waiting', count: 1 },
    ]);

    // Delivering again changes nothing: the outcome was written once.
    await deliverMail(t);
    expect((await row(config, bounce)).learner_state).toBe('failed');
  });

  it('a refused reminder is an errored reminded action and does not count as the recent action (D14)', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await allocate(policy.uuid, ['remind.bounce@example.com']);
    const uuid = made.created[0].uuid as string;
    await deliverMail(t);
    t.clock.advance(60_000);
    const res = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/remind/`,
      payload: { assignment_uuids: [uuid] },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(200);
    await deliverMail(t, () => true);
    const after = await row(config, uuid);
    expect(after).toMatchObject({
      state: 'allocated',
      learner_state: 'waiting',
      recent_action: { action_type: 'assigned' },
      error_reason: { action_type: 'reminded', error_reason: 'email_error' },
    });
  });

  it('a refused cancellation email leaves the assignment cancelled, with an errored cancelled action', async () => {
    // The reference turns the assignment `errored` when the cancellation email fails, which would
    // make it cancelable and re-countable again; the admin's cancellation stands here.
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await allocate(policy.uuid, ['cancel.bounce@example.com']);
    const uuid = made.created[0].uuid as string;
    await deliverMail(t);
    const res = await t.request({
      method: 'POST',
      url: `${adminApi(config)}/cancel/`,
      payload: { assignment_uuids: [uuid] },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(200);
    await deliverMail(t, () => true);
    const after = await row(config, uuid);
    expect(after.state).toBe('cancelled');
    expect(after.actions.find((a: Action) => a.action_type === 'cancelled')).toMatchObject({
      completed_at: null,
      error_reason: 'email_error',
    });
  });

  it('links the learner to the enterprise: a pending membership that the first sign-in turns into one', async () => {
    const { policy } = await w.assignedPolicy(100_000);
    const made = await allocate(policy.uuid, ['New.Person@example.com']);
    expect(made.created[0].actions.map((a: Action) => a.action_type)).toContain('learner_linked');
    const newcomer = await t.token({ userId: 7001, email: 'new.person@example.com', roles: [] });
    const mine = await t.request({ method: 'GET', url: '/enterprise/api/v1/memberships/', as: newcomer });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().results).toEqual([
      expect.objectContaining({
        enterprise_customer: expect.objectContaining({ uuid: ENTERPRISE_A }),
        active: true,
      }),
    ]);
  });

  it('does not email again a row updated only because its learner became known', async () => {
    // The reference emails every updated row again, even accepted ones; an lms_user_id filled in
    // tells the learner nothing new.
    const { policy } = await w.assignedPolicy(100_000);
    const first = await allocate(policy.uuid, ['late.signin@example.com']);
    expect(first.created[0].lms_user_id).toBeNull();
    const learner = await t.token({ userId: 7002, email: 'late.signin@example.com', roles: [] });
    await t.request({ method: 'GET', url: '/api/v1/me/', as: learner });
    const again = await allocate(policy.uuid, ['late.signin@example.com']);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([expect.objectContaining({ lms_user_id: 7002, state: 'allocated' })]);
    const mail = await t.db.kysely
      .selectFrom('outbox')
      .select('to_address')
      .where('to_address', '=', 'late.signin@example.com')
      .execute();
    expect(mail).toHaveLength(1);
  });

  it('orders by learner_state_sort_order (notifying, waiting, expired, failed) and by default by the latest action (D16)', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await allocate(policy.uuid, ['sort.waiting@example.com', 'sort.failed@example.com']);
    await deliverMail(t, (to) => to === 'sort.failed@example.com');
    t.clock.advance(1_000);
    const later = await allocate(policy.uuid, ['sort.notifying@example.com']);
    const uuidOf = (email: string) =>
      [...made.created, ...later.created].find((a: { learner_email: string }) => a.learner_email === email)
        .uuid as string;
    const order = async (query: string) =>
      (await t.request({ method: 'GET', url: `${adminApi(config)}/${query}`, as: as.adminA }))
        .json()
        .results.map((r: { uuid: string }) => r.uuid);
    expect(await order('?ordering=learner_state_sort_order')).toEqual([
      uuidOf('sort.notifying@example.com'),
      uuidOf('sort.waiting@example.com'),
      uuidOf('sort.failed@example.com'),
    ]);
    // A reminder sent later makes its row the most recent action.
    t.clock.advance(1_000);
    await t.request({
      method: 'POST',
      url: `${adminApi(config)}/remind/`,
      payload: { assignment_uuids: [uuidOf('sort.waiting@example.com')] },
      as: as.adminA,
    });
    await deliverMail(t);
    expect((await order(''))[0]).toBe(uuidOf('sort.waiting@example.com'));
    expect((await order(''))[1]).toBe(uuidOf('sort.notifying@example.com'));
  });
});
