import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { assignmentsWorld } from './fixtures.js';

describe("the admin assignment list's count", () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let config: string;
  /** Every statement the app runs. */
  const statements: string[] = [];

  beforeAll(async () => {
    t = await testApp({ db: await memoryDb({ onQuery: (text) => statements.push(text) }) });
    as = await personas(t);
    const w = await assignmentsWorld(t, as.staff);
    const assigned = await w.assignedPolicy(100_000);
    config = assigned.config;
    const allocated = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${assigned.policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['c1@example.com', 'c2@example.com', 'c3@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.adminA,
    });
    expect(allocated.statusCode).toBe(202);
  });
  afterAll(() => t.close());

  const list = (query: string) =>
    t.request({
      method: 'GET',
      url: `/access/api/v1/assignment-configurations/${config}/admin/assignments/?${query}`,
      as: as.adminA,
    });
  const countingAssignments = () =>
    statements.filter((s) => /count\(\*\).* from "learner_content_assignments"/.test(s));

  it('comes from the counts for a state filter, without counting the assignments', async () => {
    statements.length = 0;
    const res = await list('state__in=allocated&page_size=2');
    expect(res.json()).toMatchObject({ count: 3, num_pages: 2 });
    expect(res.json().results).toHaveLength(2);
    expect(countingAssignments()).toEqual([]);
  });

  it('counts the rows a search finds', async () => {
    statements.length = 0;
    expect((await list('search=c2@')).json().count).toBe(1);
    // The count and learner_state_counts.
    expect(countingAssignments()).toHaveLength(2);
  });
});
