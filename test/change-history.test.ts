import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob, runJob } from '../src/jobs.js';
import { assignmentsWorld } from '../src/modules/assignments/test/fixtures.js';
import { requestsWorld } from '../src/modules/requests/test/fixtures.js';
import { ENTERPRISE_A, personas, type TestApp, testApp } from './support/app.js';

type As = Awaited<ReturnType<typeof personas>>;
interface Change {
  operation: string;
  changed_by: string;
  reason: string | null;
  changed_at: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

/**
 * Every change to a policy, subsidy, assignment and enterprise customer leaves who, when, what
 * (before/after of the changed fields) and why — written by database triggers, so that no code
 * path can skip it — and admins of the enterprise and operators can read it.
 */
describe('change history', () => {
  let t: TestApp;
  let as: As;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
  });
  afterAll(() => t.close());

  const history = async (url: string, who: string | null = as.adminA) => {
    const res = await t.request({ method: 'GET', url, as: who });
    return res;
  };
  const entries = async (url: string) => (await history(url)).json().results as Change[];

  it('records a policy change with the operator who made it, and the reason of a deletion', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/access/api/v1/subsidy-access-policies/',
      as: as.operator,
      payload: {
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: w.catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'direct',
        display_name: 'History budget',
        description: 'h',
        active: true,
        spend_limit: 50_000,
        per_learner_spend_limit: 10_000,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const uuid = created.json().uuid as string;
    t.clock.advance(60_000);
    const patched = await t.request({
      method: 'PATCH',
      url: `/access/api/v1/subsidy-access-policies/${uuid}/`,
      as: as.operator,
      payload: { display_name: 'Renamed budget', spend_limit: 40_000 },
    });
    expect(patched.statusCode).toBe(200);
    t.clock.advance(60_000);
    const deleted = await t.request({
      method: 'DELETE',
      url: `/access/api/v1/subsidy-access-policies/${uuid}/`,
      as: as.operator,
      payload: { reason: 'Budget replaced by the spring one' },
    });
    expect(deleted.statusCode).toBeLessThan(300);

    const url = `/access/api/v1/subsidy-access-policies/${uuid}/history/`;
    const [del, update, insert] = await entries(url);
    expect(insert).toMatchObject({ operation: 'insert', changed_by: 'lms_user_id:900', reason: null });
    expect(insert?.changes.display_name).toEqual({ before: null, after: 'History budget' });
    // A creation lists the fields it set, not the empty ones.
    expect(insert?.changes).not.toHaveProperty('retired_at');
    expect(update).toMatchObject({
      operation: 'update',
      changed_by: 'lms_user_id:900',
      changed_at: '2026-06-01T12:01:00.000Z',
      changes: {
        display_name: { before: 'History budget', after: 'Renamed budget' },
        spend_limit: { before: 50_000, after: 40_000 },
      },
    });
    // Only what changed: not the untouched fields, nor the modified timestamp.
    expect(Object.keys(update?.changes ?? {}).sort()).toEqual(['display_name', 'spend_limit']);
    expect(del).toMatchObject({
      changed_by: 'lms_user_id:900',
      reason: 'Budget replaced by the spring one',
      changes: { active: { before: true, after: false } },
    });

    // Admins of the enterprise and operators read it; learners and other enterprises do not.
    expect((await history(url, as.operator)).statusCode).toBe(200);
    expect((await history(url, as.learnerA)).statusCode).toBe(403);
    expect((await history(url, as.adminB)).statusCode).toBe(403);
    expect((await history(url, null)).statusCode).toBe(401);
  });

  it('records assignment changes by the admin and by a system job', async () => {
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: { learner_emails: ['hist@example.com'], content_key: w.run.key, content_price_cents: 10_000 },
      as: as.adminA,
    });
    const uuid = made.json().created[0].uuid as string;
    const url = `/access/api/v1/assignment-configurations/${config}/admin/assignments/${uuid}/history/`;
    const job = findJob('expire-assignments');
    if (!job) throw new Error('no job');
    t.clock.set('2026-09-01T12:00:00Z');
    as = await personas(t);
    await runJob(t.app.campus, job);
    const [scrubbed, expired, allocated] = await entries(url);
    expect(allocated).toMatchObject({ operation: 'insert', changed_by: 'lms_user_id:102' });
    expect(expired).toMatchObject({
      operation: 'update',
      changed_by: 'system job:expire-assignments',
      changed_at: '2026-09-01T12:00:00.000Z',
      changes: { state: { before: 'allocated', after: 'expired' } },
    });
    // The 90-day timeout scrubs the learner's email; the history must not keep it either.
    expect(scrubbed?.changes.learner_email).toEqual({ before: '[scrubbed]', after: '[scrubbed]' });
    expect(allocated?.changes.learner_email).toEqual({ before: '[scrubbed]', after: '[scrubbed]' });
    expect(JSON.stringify(await entries(url))).not.toContain('hist@example.com');
    expect((await history(url, as.adminB)).statusCode).toBe(403);
    const wrongConfig = await history(
      `/access/api/v1/assignment-configurations/${config}/admin/assignments/not-a-uuid/history/`,
    );
    expect(wrongConfig.statusCode).toBe(400);
  });

  it('records subsidy and enterprise customer changes', async () => {
    const subsidyUrl = `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/history/`;
    const patched = await t.request({
      method: 'PATCH',
      url: `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/`,
      as: as.operator,
      payload: { title: 'Renamed subsidy' },
    });
    expect(patched.statusCode).toBe(200);
    const [rename] = await entries(subsidyUrl);
    expect(rename).toMatchObject({
      changed_by: 'lms_user_id:900',
      changes: { title: { after: 'Renamed subsidy' } },
    });

    const customerUrl = `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/history/`;
    const renamed = await t.request({
      method: 'PATCH',
      url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/`,
      as: as.operator,
      payload: { name: 'A Renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    const [customerChange] = await entries(customerUrl);
    expect(customerChange).toMatchObject({
      operation: 'update',
      changed_by: 'lms_user_id:900',
      changes: { name: { after: 'A Renamed' } },
    });
    expect((await history(customerUrl, as.learnerA)).statusCode).toBe(403);
    const unknown = await history(
      '/enterprise/api/v1/enterprise-customer/0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f/history/',
      as.operator,
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('change history of learner credit requests', () => {
  let t: TestApp;
  let as: As;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
  });
  afterAll(() => t.close());

  it('records the learner asking and the admin approving', async () => {
    const w = await requestsWorld(t, as);
    const asked = await w.ask(as.learnerA);
    expect(asked.statusCode).toBe(201);
    const uuid = asked.json().uuid as string;
    const approved = await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [uuid],
      policy_uuid: w.policy.uuid,
    });
    expect(approved.statusCode).toBe(200);
    const url = `/access/api/v1/learner-credit-requests/${uuid}/history/`;
    const res = await t.request({ method: 'GET', url, as: as.adminA });
    expect(res.statusCode).toBe(200);
    const [approval, ...earlier] = res.json().results as Change[];
    expect(approval).toMatchObject({
      changed_by: 'lms_user_id:102',
      changes: { state: { before: 'requested', after: 'approved' } },
    });
    expect(earlier.at(-1)).toMatchObject({ operation: 'insert', changed_by: 'lms_user_id:101' });
    expect((await t.request({ method: 'GET', url, as: as.learnerA })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url, as: as.adminB })).statusCode).toBe(403);
  });
});
