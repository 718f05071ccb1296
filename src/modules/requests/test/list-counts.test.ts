import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, memoryDb, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { FOLD_AFTER } from '../../../db/appended-counts.js';
import { requestCountMismatches } from '../request-counts.repository.js';
import { REQUESTS, requestsWorld } from './fixtures.js';

let t: TestApp;
let as: Awaited<ReturnType<typeof personas>>;
/** Every statement the app runs. */
const statements: string[] = [];

beforeEach(async () => {
  t = await testApp({ db: await memoryDb({ onQuery: (text) => statements.push(text) }) });
  as = await personas(t);
});
afterEach(async () => {
  // Whatever a test did, the counts the list and the overview read agree with the requests.
  expect(await requestCountMismatches(t.db.kysely)).toEqual([]);
  await t.close();
});

/** Four learners of A ask; one is declined, one approved, one approved and then cancelled. */
async function reviewedRequests() {
  const w = await requestsWorld(t, as);
  const uuids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const asked = await w.ask(await w.learnerToken(500 + i, `asker${i}@example.com`));
    expect(asked.statusCode).toBe(201);
    uuids.push(asked.json().uuid);
  }
  const [declined, approved, cancelled] = uuids;
  expect((await w.post(as.adminA, 'decline', { subsidy_request_uuid: declined })).statusCode).toBe(200);
  const approve = await w.post(as.adminA, 'approve', {
    learner_credit_request_uuids: [approved, cancelled],
    policy_uuid: w.policy.uuid,
  });
  expect(approve.statusCode).toBe(200);
  expect((await w.post(as.adminA, 'cancel', { request_uuid: cancelled })).statusCode).toBe(200);
  return w;
}

const list = (token: string | null, query: string) =>
  t.request({ method: 'GET', url: `${REQUESTS}/?${query}`, as: token });
const overview = (token: string | null, query: string) =>
  t.request({ method: 'GET', url: `${REQUESTS}/overview/?${query}`, as: token });

describe("the admin list's count and the overview (counted as requests change)", () => {
  it('count what the filters select after asks, declines, approvals and a cancellation', async () => {
    const w = await reviewedRequests();
    const scope = `enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`;
    const tab = await list(as.adminA, `${scope}&state=requested,declined,cancelled,errored&page_size=2`);
    expect(tab.statusCode).toBe(200);
    // Three in the tab's states, two on this page: the count is of the filter, not of the page.
    expect(tab.json()).toMatchObject({ count: 3, num_pages: 2 });
    expect(tab.json().results).toHaveLength(2);
    expect((await list(as.adminA, `${scope}&state=approved`)).json().count).toBe(1);
    expect((await list(as.adminA, `${scope}&learner_request_state=waiting`)).json().count).toBe(1);
    expect(
      (await list(as.adminA, `${scope}&learner_request_state__in=requested,declined`)).json().count,
    ).toBe(2);
    // A search counts the rows it finds (the counts know nothing of emails).
    expect((await list(as.adminA, `${scope}&search=asker0`)).json().count).toBe(1);
    expect((await overview(as.adminA, scope)).json()).toEqual([
      { state: 'approved', count: 1 },
      { state: 'cancelled', count: 1 },
      { state: 'declined', count: 1 },
      { state: 'requested', count: 1 },
    ]);
    expect((await overview(as.operator, `${scope}&search=asker0`)).json()).toEqual([
      { state: 'declined', count: 1 },
    ]);
  });

  it("shows another enterprise's admin none of A's requests, even filtered by A", async () => {
    const w = await reviewedRequests();
    const scope = `enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`;
    const seen = await list(as.adminB, scope);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ count: 0, results: [] });
    expect((await overview(as.adminB, scope)).statusCode).toBe(403);
    // A learner filtering by their own enterprise sees their own requests only.
    const own = await list(await w.learnerToken(500, 'asker0@example.com'), scope);
    expect(own.json()).toMatchObject({ count: 1, results: [{ email: 'asker0@example.com' }] });
  });

  it('reads the count of a whole enterprise’s list from the counts; a search counts its rows', async () => {
    const w = await reviewedRequests();
    const scope = `enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`;
    const countingRequests = () =>
      statements.filter((s) => /count\(\*\).* from "learner_credit_requests"/.test(s));
    statements.length = 0;
    expect((await list(as.adminA, `${scope}&state=requested,declined`)).json().count).toBe(2);
    expect(countingRequests()).toEqual([]);
    expect(statements.some((s) => s.includes('from "learner_credit_request_counts"'))).toBe(true);
    statements.length = 0;
    expect((await list(as.adminA, `${scope}&search=asker0`)).json().count).toBe(1);
    expect(countingRequests()).toHaveLength(1);
  });

  it('folds the change rows of a customer when they pile up, losing nothing', async () => {
    const w = await reviewedRequests();
    // Each update of a counted column appends two change rows (the old key less one, the new plus one).
    for (let i = 0; i < FOLD_AFTER; i++) {
      await sql`update learner_credit_requests set latest_action_status = ${`status ${i % 2}`}
                 where state = 'requested'`.execute(t.db.kysely);
    }
    const changeRows = () =>
      t.db.kysely
        .selectFrom('learner_credit_request_counts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
    expect(Number((await changeRows()).n)).toBeGreaterThan(FOLD_AFTER);
    const scope = `enterprise_customer_uuid=${ENTERPRISE_A}&policy_uuid=${w.policy.uuid}`;
    const before = (await overview(as.adminA, scope)).json();
    // One row per key that is not zero: the four states, with the requested one's new status.
    expect(Number((await changeRows()).n)).toBe(4);
    expect((await overview(as.adminA, scope)).json()).toEqual(before);
    expect(before).toContainEqual({ state: 'requested', count: 1 });
    expect((await list(as.adminA, `${scope}&latest_action_status=status 1`)).json().count).toBe(1);
  });
});
