import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { requestsWorld } from './fixtures.js';

/** An admin reminds a learner of a request at most once per REMINDER_INTERVAL_HOURS (issue 16 item 9). */
describe('request reminders: at most one per interval', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  beforeEach(async () => {
    t = await testApp({ config: { reminderIntervalHours: 2 } });
    as = await personas(t);
  });
  afterEach(() => t.close());

  it('refuses a second reminder of a learner credit request within the interval', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    await w.post(as.adminA, 'approve', {
      learner_credit_request_uuids: [r.uuid],
      policy_uuid: w.policy.uuid,
    });
    const remind = () =>
      w.post(as.adminA, 'remind', {
        learner_credit_request_uuid: r.uuid,
        enterprise_customer_uuid: ENTERPRISE_A,
      });
    expect((await remind()).statusCode).toBe(200);
    t.clock.advance(30 * 60_000);
    const again = await remind();
    expect(again.statusCode).toBe(422);
    expect(again.json().error_code).toBe('reminder_too_soon');
    expect(await w.outbox('requests.reminder')).toHaveLength(1);
    t.clock.advance(2 * 3600_000);
    Object.assign(as, await personas(t)); // tokens signed two hours later
    expect((await remind()).statusCode).toBe(200);
  });
});
