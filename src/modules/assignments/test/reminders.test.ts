import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { assignmentsWorld } from './fixtures.js';

/**
 * An admin reminds a learner at most once per REMINDER_INTERVAL_HOURS (issue 16 item 9): twenty
 * calls of remind/ were twenty emails to one address. The reference has no such limit.
 */
describe('reminders: at most one per learner per interval', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  beforeEach(async () => {
    t = await testApp({ config: { reminderIntervalHours: 2 } });
    as = await personas(t);
  });
  afterEach(() => t.close());

  const reminderEmails = (template: string) =>
    t.db.kysely.selectFrom('outbox').select('to_address').where('template', '=', template).execute();

  it('refuses a second reminder of an assignment within the interval (422), sending nothing, and allows it after', async () => {
    const w = await assignmentsWorld(t, as.staff);
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['remind.once@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    const [assignment] = made.json().created.map((a: { uuid: string }) => a.uuid);
    const remind = () =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/assignment-configurations/${config}/admin/assignments/remind/`,
        payload: { assignment_uuids: [assignment] },
        as: as.adminA,
      });
    expect((await remind()).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(60_000);
      const again = await remind();
      expect(again.statusCode).toBe(422);
      expect(again.json()).toMatchObject({
        error_code: 'reminder_too_soon',
        recently_reminded: [assignment],
      });
    }
    expect(await reminderEmails('assignments.reminder')).toHaveLength(1);
    t.clock.advance(2 * 3600_000);
    Object.assign(as, await personas(t)); // tokens signed two hours later
    expect((await remind()).statusCode).toBe(200);
    expect(await reminderEmails('assignments.reminder')).toHaveLength(2);
  });

  it('limits an admin to 60 reminder calls an hour (429 with Retry-After), across remind and remind-all', async () => {
    const w = await assignmentsWorld(t, as.staff);
    const { policy, config } = await w.assignedPolicy(100_000);
    const made = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['remind.flood@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    const [assignment] = made.json().created.map((a: { uuid: string }) => a.uuid);
    const admin = `/access/api/v1/assignment-configurations/${config}/admin/assignments`;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await t.request({
        method: 'POST',
        url: i % 2 ? `${admin}/remind-all/` : `${admin}/remind/`,
        payload: i % 2 ? undefined : { assignment_uuids: [assignment] },
        as: as.adminA,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    const limited = await t.request({
      method: 'POST',
      url: `${admin}/remind/`,
      payload: { assignment_uuids: [assignment] },
      as: as.adminA,
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await reminderEmails('assignments.reminder')).toHaveLength(1);
  });
});
