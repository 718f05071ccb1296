import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { isActiveMember } from '../../enterprise/index.js';
import {
  acceptAssignment,
  allocatedCentsOfConfigurations,
  assignmentForContent,
  assignmentsForContents,
  learnerAssignmentsForCredits,
  markAssignmentErrored,
} from '../index.js';
import { assignmentsWorld, deliverMail } from './fixtures.js';

type As = Awaited<ReturnType<typeof personas>>;

describe('assignments', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const allocate = (policyUuid: string, body: object, who: string | null = as.adminA) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policyUuid}/allocate/`,
      payload: body,
      as: who,
    });
  const adminApi = (config: string) => `/access/api/v1/assignment-configurations/${config}/admin/assignments`;

  describe('assignment configurations', () => {
    it('creates, lists by customer, retrieves, patches only active and soft-deletes', async () => {
      const { policy, config } = await w.assignedPolicy(10_000);
      const one = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        as: as.adminA,
      });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        uuid: config,
        subsidy_access_policy: policy.uuid,
        enterprise_customer_uuid: ENTERPRISE_A,
        active: true,
      });
      const list = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/?enterprise_customer_uuid=${ENTERPRISE_A}`,
        as: as.adminA,
      });
      expect(list.json().results.map((c: { uuid: string }) => c.uuid)).toContain(config);
      const bad = await t.request({
        method: 'PATCH',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        payload: { active: false, enterprise_customer_uuid: ENTERPRISE_A },
        as: as.operator,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().detail).toBe('Field(s) are not updatable: enterprise_customer_uuid');
      const patched = await t.request({
        method: 'PATCH',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        payload: { active: false },
        as: as.operator,
      });
      expect(patched.json().active).toBe(false);
      await t.request({
        method: 'PATCH',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        payload: { active: true },
        as: as.operator,
      });
      const deleted = await t.request({
        method: 'DELETE',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        as: as.operator,
      });
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json().active).toBe(false);
      const still = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/`,
        as: as.adminA,
      });
      expect(still.json().active).toBe(false);
    });
  });

  describe('allocate', () => {
    it('creates allocated assignments with negative cents, a notified action and an email each (D1)', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      const res = await allocate(policy.uuid, {
        learner_emails: ['a1@example.com', 'b1@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
        admin_lms_user_id: 102,
      });
      expect(res.statusCode).toBe(202);
      const body = res.json();
      expect(body.updated).toEqual([]);
      expect(body.no_change).toEqual([]);
      expect(body.created).toHaveLength(2);
      expect(body.created[0]).toMatchObject({
        state: 'allocated',
        content_quantity: -10_000,
        content_key: w.run.key,
        parent_content_key: w.course.key,
        is_assigned_course_run: true,
        preferred_course_run_key: w.run.key,
        admin_lms_user_id: 102,
        assignment_configuration: config,
      });
      // The learner-link step (a pending membership of the enterprise) is local and commits with
      // the allocation; the notification waits for SMTP, so it is neither completed nor failed.
      expect(
        body.created[0].actions.map((a: { action_type: string; completed_at: string | null }) => [
          a.action_type,
          a.completed_at !== null,
        ]),
      ).toEqual([
        ['learner_linked', true],
        ['notified', false],
      ]);
      // The run's enroll-by (2026-11-01) comes before allocated_at + 90 days? No: 2026-06-01 + 90 d = 2026-08-30.
      expect(body.created[0].earliest_possible_expiration).toEqual({
        date: '2026-08-30T12:00:00.000Z',
        reason: 'NINETY_DAYS_PASSED',
      });
      const outbox = await t.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('template', '=', 'assignments.assigned')
        .execute();
      expect(outbox.map((o) => o.to_address).sort()).toEqual(['a1@example.com', 'b1@example.com']);
      expect((await allocatedCentsOfConfigurations(t.db.kysely, [config])).get(config)).toBe(20_000);
    });

    it('records the caller from the token as admin_lms_user_id, whatever the body says', async () => {
      const { policy } = await w.assignedPolicy(100_000);
      const res = await allocate(policy.uuid, {
        learner_emails: ['token-admin@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
        admin_lms_user_id: 202,
      });
      expect(res.statusCode).toBe(202);
      expect(res.json().created[0].admin_lms_user_id).toBe(102);
    });

    it("leaves the lms_user_id of another enterprise's learner unrecorded and invites them; it links when they sign in", async () => {
      const enterpriseApi = '/enterprise/api/v1/enterprise-customer';
      const added = await t.request({
        method: 'POST',
        url: `${enterpriseApi}/${ENTERPRISE_B}/learners/`,
        payload: { lms_user_id: 3601, username: 'zoe', email: 'zoe@b.example' },
        as: as.operator,
      });
      expect(added.statusCode).toBe(201);
      const { policy, config } = await w.assignedPolicy(100_000);
      const res = await allocate(policy.uuid, {
        learner_emails: ['Zoe@b.example'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(res.statusCode).toBe(202);
      expect(res.json().created[0]).toMatchObject({ learner_email: 'Zoe@b.example', lms_user_id: null });
      expect(res.body).not.toContain('3601');
      expect(await isActiveMember(t.db.kysely, ENTERPRISE_A, 3601)).toBe(false);
      const pending = await t.request({
        method: 'GET',
        url: `${enterpriseApi}/${ENTERPRISE_A}/pending-learners/`,
        as: as.adminA,
      });
      expect(pending.json().results.map((p: { email: string }) => p.email)).toContain('zoe@b.example');
      // Zoe signs in with a token of enterprise A: the invitation becomes her membership, and she
      // sees the assignment (matched by email until she accepts it).
      const zoe = await t.token({
        userId: 3601,
        username: 'zoe',
        email: 'zoe@b.example',
        roles: [`enterprise_learner:${ENTERPRISE_A}`],
      });
      const mine = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/assignments/`,
        as: zoe,
      });
      expect(mine.json().results.map((a: { learner_email: string }) => a.learner_email)).toEqual([
        'Zoe@b.example',
      ]);
      expect(await isActiveMember(t.db.kysely, ENTERPRISE_A, 3601)).toBe(true);
    });

    it('shows an invited learner their assignment on their membership alone (their token has no role)', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      const res = await allocate(policy.uuid, {
        learner_emails: ['invitee.only@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(res.statusCode).toBe(202);
      const invitee = await t.token({ userId: 3602, username: 'invitee', email: 'invitee.only@example.com' });
      // The first request takes the invitation up as a membership; the token names no enterprise.
      await t.request({ method: 'GET', url: '/api/v1/me/', as: invitee });
      const mine = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/assignments/`,
        as: invitee,
      });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().results.map((a: { learner_email: string }) => a.learner_email)).toEqual([
        'invitee.only@example.com',
      ]);
      const stranger = await t.token({ userId: 3603, username: 'stranger', email: 'stranger@example.com' });
      const refused = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/assignments/`,
        as: stranger,
      });
      expect(refused.statusCode).toBe(403);
    });

    it('validates the price within [0.95, 1.05] of the catalog price, inclusive (D2, D3)', async () => {
      const { policy } = await w.assignedPolicy(100_000);
      const at = (cents: number) =>
        allocate(policy.uuid, {
          learner_emails: [`p${cents}@example.com`],
          content_key: w.run.key,
          content_price_cents: cents,
        });
      const low = await at(9_499);
      expect(low.statusCode).toBe(422);
      expect(low.json()[0]).toMatchObject({
        reason: 'PriceValidationError',
        user_message: 'An error occurred while validating the provided price.',
        policy_uuids: [policy.uuid],
      });
      expect(low.json()[0].error_message).toContain('outside of acceptable interval');
      expect((await at(9_500)).statusCode).toBe(202);
      expect((await at(10_500)).statusCode).toBe(202);
      expect((await at(10_501)).statusCode).toBe(422);
      expect((await at(-1)).statusCode).toBe(400);
    });

    it('charges deduplicated learners once and keeps the first spelling (D6)', async () => {
      // The reference charges the raw list length (duplicates twice) in its budget check; Campus
      // charges each learner once, so this fits exactly in a $100 limit.
      const { policy } = await w.assignedPolicy(10_000);
      const res = await allocate(policy.uuid, {
        learner_emails: ['Dup@Example.com', 'dup@example.COM'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(res.statusCode).toBe(202);
      expect(res.json().created.map((a: { learner_email: string }) => a.learner_email)).toEqual([
        'Dup@Example.com',
      ]);
    });

    it('refuses past the spend limit with the reference array body, allows reaching it exactly (D4)', async () => {
      const { policy } = await w.assignedPolicy(20_000);
      const first = await allocate(policy.uuid, {
        learner_emails: ['l1@example.com', 'l2@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(first.statusCode).toBe(202);
      const over = await allocate(policy.uuid, {
        learner_emails: ['l3@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(over.statusCode).toBe(422);
      const [reason] = over.json();
      expect(reason).toMatchObject({
        reason: 'policy_spend_limit_reached',
        policy_uuids: [policy.uuid],
        metadata: { enterprise_administrators: expect.any(Array) },
      });
      expect(reason.user_message).toContain("doesn't have enough funds");
    });

    it('refuses more than the subsidy holds with not_enough_value_in_subsidy (D5)', async () => {
      const { policy } = await w.assignedPolicy(100_000_000);
      const emails = Array.from({ length: 11 }, (_, i) => `big${i}@example.com`);
      const res = await allocate(policy.uuid, {
        learner_emails: emails,
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()[0].reason).toBe('not_enough_value_in_subsidy');
    });

    it('refuses content outside the catalog and inactive policies', async () => {
      const { policy } = await w.assignedPolicy(100_000);
      const other = await allocate(policy.uuid, {
        learner_emails: ['x@example.com'],
        content_key: 'course-v1:Nope+N1+2026',
        content_price_cents: 100,
      });
      expect(other.json()[0].reason).toBe('content_not_in_catalog');
      await t.db.kysely
        .updateTable('subsidy_access_policies')
        .set({ active: false })
        .where('uuid', '=', policy.uuid)
        .execute();
      const inactive = await allocate(policy.uuid, {
        learner_emails: ['x@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(inactive.json()[0].reason).toBe('policy_expired');
    });

    it('reports allocated rows as no_change and re-allocates cancelled ones as updated (D7, D8)', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      const first = await allocate(policy.uuid, {
        learner_emails: ['r@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      const uuid = first.json().created[0].uuid;
      const again = await allocate(policy.uuid, {
        learner_emails: ['R@example.com'],
        content_key: w.run.key,
        content_price_cents: 9_600,
      });
      expect(again.json()).toMatchObject({
        created: [],
        updated: [],
        no_change: [{ uuid, content_quantity: -10_000 }],
      });
      const cancel = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: [uuid] },
        as: as.adminA,
      });
      expect(cancel.statusCode).toBe(200);
      t.clock.advance(60_000);
      const re = await allocate(policy.uuid, {
        learner_emails: ['r@example.com'],
        content_key: w.run.key,
        content_price_cents: 9_600,
      });
      const [row] = re.json().updated;
      expect(row).toMatchObject({
        uuid,
        state: 'allocated',
        content_quantity: -9_600,
        cancelled_at: null,
        allocated_at: t.clock.now().toISOString(),
      });
      expect(row.allocation_batch_id).not.toBe(first.json().created[0].allocation_batch_id);
    });
  });

  describe('admin assignments', () => {
    it('lists with learner_state, counts, filters, search and ordering; retrieves one', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      await allocate(policy.uuid, {
        learner_emails: ['s1@example.com', 's2@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      await deliverMail(t);
      const res = await t.request({
        method: 'GET',
        url: `${adminApi(config)}/?state__in=allocated,errored&ordering=-content_quantity`,
        as: as.adminA,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.count).toBe(2);
      expect(body.learner_state_counts).toEqual([{ learner_state: 'waiting', count: 2 }]);
      expect(body.results[0]).toMatchObject({
        learner_state: 'waiting',
        recent_action: { action_type: 'assigned' },
        error_reason: null,
      });
      const search = await t.request({
        method: 'GET',
        url: `${adminApi(config)}/?search=S2@EXAMPLE`,
        as: as.adminA,
      });
      expect(search.json().results.map((r: { learner_email: string }) => r.learner_email)).toEqual([
        's2@example.com',
      ]);
      const none = await t.request({
        method: 'GET',
        url: `${adminApi(config)}/?learner_state__in=notifying`,
        as: as.adminA,
      });
      expect(none.json().count).toBe(0);
      const one = await t.request({
        method: 'GET',
        url: `${adminApi(config)}/${body.results[0].uuid}/`,
        as: as.adminA,
      });
      expect(one.json().uuid).toBe(body.results[0].uuid);
      const other = await t.request({ method: 'GET', url: `${adminApi(config)}/`, as: as.adminB });
      expect(other.statusCode).toBe(403);
    });

    it('cancels with cancelled_at and an email; refuses accepted or unknown uuids with 422 (D12)', async () => {
      // The reference never writes cancelled_at when cancelling; Campus does.
      const { policy, config } = await w.assignedPolicy(100_000);
      const made = await allocate(policy.uuid, {
        learner_emails: ['c1@example.com', 'c2@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      const [u1, u2] = made.json().created.map((a: { uuid: string }) => a.uuid);
      const res = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: [u1] },
        as: as.adminA,
      });
      expect(res.json()).toMatchObject({ cancelled: [u1] });
      const row = await t.request({ method: 'GET', url: `${adminApi(config)}/${u1}/`, as: as.adminA });
      expect(row.json()).toMatchObject({
        state: 'cancelled',
        cancelled_at: t.clock.now().toISOString(),
        learner_state: null,
      });
      const mail = await t.db.kysely
        .selectFrom('outbox')
        .select('to_address')
        .where('template', '=', 'assignments.cancelled')
        .execute();
      expect(mail.map((m) => m.to_address)).toContain('c1@example.com');
      const again = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: [u1, u2] },
        as: as.adminA,
      });
      expect(again.json()).toMatchObject({ cancelled: [u2], already_cancelled: [u1] });
      const unknown = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: ['00000000-0000-4000-8000-000000000000'] },
        as: as.adminA,
      });
      expect(unknown.statusCode).toBe(422);
      expect((await allocatedCentsOfConfigurations(t.db.kysely, [config])).get(config)).toBe(0);
    });

    it('reminds allocated assignments and reports non-remindable ones with 422 (D14)', async () => {
      // The reference checks a key it never returns and answers 200 while skipping non-remindable
      // assignments; Campus refuses the request and names them.
      const { policy, config } = await w.assignedPolicy(100_000);
      const made = await allocate(policy.uuid, {
        learner_emails: ['m1@example.com', 'm2@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      const [u1, u2] = made.json().created.map((a: { uuid: string }) => a.uuid);
      t.clock.advance(60_000);
      const ok = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/remind/`,
        payload: { assignment_uuids: [u1] },
        as: as.adminA,
      });
      expect(ok.json()).toEqual({ reminded: [u1], non_remindable: [], not_found: [] });
      // The reminder counts once SMTP has taken it.
      await deliverMail(t);
      const row = await t.request({ method: 'GET', url: `${adminApi(config)}/${u1}/`, as: as.adminA });
      expect(row.json().recent_action).toEqual({
        action_type: 'reminded',
        timestamp: t.clock.now().toISOString(),
      });
      await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: [u2] },
        as: as.adminA,
      });
      const refused = await t.request({
        method: 'POST',
        url: `${adminApi(config)}/remind/`,
        payload: { assignment_uuids: [u1, u2] },
        as: as.adminA,
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        error_code: 'assignments_not_remindable',
        non_remindable: [u2],
      });
    });
  });

  describe('learners', () => {
    it('see only their own assignments and acknowledge cancelled ones (D18)', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      const made = await allocate(policy.uuid, {
        learner_emails: ['learner.a@example.com', 'someone@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      const mine = made
        .json()
        .created.find((a: { learner_email: string }) => a.learner_email === 'learner.a@example.com').uuid;
      const list = await t.request({
        method: 'GET',
        url: `/access/api/v1/assignment-configurations/${config}/assignments/`,
        as: as.learnerA,
      });
      expect(list.json().results.map((a: { uuid: string }) => a.uuid)).toEqual([mine]);
      const ackUrl = `/access/api/v1/assignment-configurations/${config}/acknowledge-assignments/`;
      const early = await t.request({
        method: 'POST',
        url: ackUrl,
        payload: { assignment_uuids: [mine] },
        as: as.learnerA,
      });
      expect(early.json()).toEqual({
        acknowledged_assignments: [],
        already_acknowledged_assignments: [],
        unacknowledged_assignments: [mine],
      });
      await t.request({
        method: 'POST',
        url: `${adminApi(config)}/cancel/`,
        payload: { assignment_uuids: [mine] },
        as: as.adminA,
      });
      const ack = await t.request({
        method: 'POST',
        url: ackUrl,
        payload: { assignment_uuids: [mine] },
        as: as.learnerA,
      });
      expect(ack.statusCode).toBe(201);
      expect(ack.json().acknowledged_assignments).toEqual([mine]);
      const repeat = await t.request({
        method: 'POST',
        url: ackUrl,
        payload: { assignment_uuids: [mine] },
        as: as.learnerA,
      });
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json().already_acknowledged_assignments).toEqual([mine]);
      const notMine = await t.request({
        method: 'POST',
        url: ackUrl,
        payload: {
          assignment_uuids: [made.json().created.find((a: { uuid: string }) => a.uuid !== mine).uuid],
        },
        as: as.learnerA,
      });
      expect(notMine.statusCode).toBe(400);
    });
  });

  describe('functions for the access module', () => {
    it('finds the assignment for a run or its course, accepts it and marks errors (D10, D11)', async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      await allocate(policy.uuid, {
        learner_emails: ['learner.a@example.com'],
        content_key: w.course.key,
        content_price_cents: 10_000,
      });
      const db = t.db.kysely;
      const found = await assignmentForContent(db, {
        configurationUuid: config,
        lmsUserId: 101,
        contentKey: w.run.key,
        parentContentKey: w.course.key,
      });
      expect(found).toMatchObject({ content_key: w.course.key, state: 'allocated', lms_user_id: 101 });
      const credits = await learnerAssignmentsForCredits(t.app.campus, db, {
        configurationUuids: [config],
        lmsUserId: 101,
        subsidyExpirationByConfiguration: new Map([[config, new Date('2026-07-01T00:00:00Z')]]),
      });
      expect(credits[0]?.earliest_possible_expiration).toEqual({
        date: '2026-07-01T00:00:00.000Z',
        reason: 'SUBSIDY_EXPIRED',
      });
      const tx = '11111111-1111-4111-8111-111111111111';
      const accepted = await t.db.transaction((trx) =>
        acceptAssignment(t.app.campus, trx, {
          assignmentUuid: found?.uuid ?? '',
          transactionUuid: tx,
          contentKey: w.run.key,
        }),
      );
      expect(accepted).toMatchObject({
        state: 'accepted',
        transaction_uuid: tx,
        preferred_course_run_key: w.run.key,
      });
      await markAssignmentErrored(t.app.campus, db, {
        assignmentUuid: accepted.uuid,
        reason: 'enrollment failed',
      });
      const row = await t.request({
        method: 'GET',
        url: `${adminApi(config)}/${accepted.uuid}/`,
        as: as.adminA,
      });
      expect(row.json()).toMatchObject({
        state: 'errored',
        learner_state: 'failed',
        error_reason: { action_type: 'redeemed', error_reason: 'enrollment_error' },
      });
    });

    it("reads many learners' assignments at once, each learner only their own (by id, or by email before sign-in)", async () => {
      const { policy, config } = await w.assignedPolicy(100_000);
      const made = await allocate(policy.uuid, {
        learner_emails: ['learner.a@example.com', 'Not.Yet@Example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      });
      expect(made.statusCode).toBe(202);
      // A's assignment carries A's id, as it does once A is a linked member.
      await t.db.kysely
        .updateTable('learner_content_assignments')
        .set({ lms_user_id: 101 })
        .where('assignment_configuration_uuid', '=', config)
        .where('learner_email', '=', 'learner.a@example.com')
        .execute();
      const learners = [
        { lmsUserId: 101, learnerEmail: 'learner.a@example.com' },
        { lmsUserId: 9_001, learnerEmail: 'not.yet@example.com' },
        // Another learner who claims A's email: A's assignment carries A's id, so it is not theirs.
        { lmsUserId: 9_002, learnerEmail: 'learner.a@example.com' },
        { lmsUserId: 9_003, learnerEmail: null },
      ];
      const statements: string[] = [];
      const found = await assignmentsForContents(
        t.db.kysely.withPlugin({
          transformQuery: (args) => {
            statements.push(args.node.kind);
            return args.node;
          },
          transformResult: async (args) => args.result,
        }),
        {
          configurationUuids: [config],
          learners,
          contents: [{ contentKey: w.run.key, parentContentKey: w.course.key }],
        },
      );
      expect(statements).toHaveLength(1);
      const of = (id: number) => found.get(id)?.get(config)?.get(w.run.key);
      expect(of(101)).toMatchObject({ learner_email: 'learner.a@example.com', lms_user_id: 101 });
      expect(of(9_001)).toMatchObject({ learner_email: 'Not.Yet@Example.com', lms_user_id: null });
      expect(of(9_002)).toBeUndefined();
      expect(of(9_003)).toBeUndefined();
    });
  });
});
