import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, memoryDb, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { lockRecorder } from '../../../../test/support/lock-order.js';
import { requestsWorld } from './fixtures.js';

/**
 * Browse & request paths keep the one lock order of src/modules/ledger/lock-order.ts. Cancelling a
 * request locked the request before its assignment, while an assignment's transitions (expiry, the
 * reversal sync) lock the assignment and then follow it to the request: opposite orders.
 */
describe('browse & request paths take their row locks in LOCK_ORDER', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  const { onQuery, locksOf } = lockRecorder();

  beforeAll(async () => {
    t = await testApp({ db: await memoryDb({ onQuery }) });
    as = await personas(t);
  });
  afterAll(() => t.close());

  it('approve and cancel: policy → assignment → request', async () => {
    const w = await requestsWorld(t, as);
    const r = (await w.ask(as.learnerA)).json();
    let assignment = '';
    const approve = await locksOf(async () => {
      const res = await w.post(as.adminA, 'approve', {
        learner_credit_request_uuids: [r.uuid],
        policy_uuid: w.policy.uuid,
      });
      expect(res.statusCode, res.body).toBe(200);
      assignment = res.json().approved[0].assignment;
    });
    expect(approve.violations).toEqual([]);
    expect(assignment).not.toBe('');

    const cancel = await locksOf(async () => {
      const res = await w.post(as.adminA, 'cancel', {
        request_uuid: r.uuid,
        enterprise_customer_uuid: ENTERPRISE_A,
      });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(cancel.locks).toEqual([
      'subsidy_access_policies',
      'learner_content_assignments',
      'learner_credit_requests',
    ]);
    expect(cancel.violations).toEqual([]);
  });
});
