import { expect } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, type Persona, type TestApp } from '../../../../test/support/app.js';

export const VERIFIED_AUDIT_COURSE = '5eed0000-0000-4000-8000-000000000303';
export const VERIFIED_AUDIT_RUN = '5eed0000-0000-4000-8000-000000000203';

export type As = Record<Persona, string | null>;

/** A request that must succeed with `status`; returns the JSON body. */
export async function ok(
  t: TestApp,
  as: string | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  status = method === 'POST' ? 201 : 200,
) {
  const res = await t.request({ method, url, payload, as });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return res.body ? res.json() : undefined;
}

/** Enterprise customers A and B (the personas' enterprises), created by an operator. */
export async function createEnterprises(t: TestApp, as: As): Promise<void> {
  for (const [uuid, slug] of [
    [ENTERPRISE_A, 'enterprise-a'],
    [ENTERPRISE_B, 'enterprise-b'],
  ] as const) {
    await ok(t, as.operator, 'POST', '/enterprise/api/v1/enterprise-customer/', {
      uuid,
      name: slug.toUpperCase(),
      slug,
    });
  }
}

/** An organization, a course of it and published runs with a verified seat, through the catalog API. */
export async function createCourse(
  t: TestApp,
  as: As,
  input: {
    org: string;
    number: string;
    runs: Array<{ start: string /** Dollars, as the catalog API takes them. */; verified?: number }>;
  },
): Promise<{ key: string; runKeys: string[] }> {
  const api = '/catalog/api/v1';
  const orgs = await ok(t, as.staff, 'GET', `${api}/organizations/?page_size=100`);
  if (!orgs.results.some((o: { key: string }) => o.key === input.org)) {
    await ok(t, as.staff, 'POST', `${api}/organizations/`, { key: input.org, name: input.org });
  }
  const course = await ok(t, as.staff, 'POST', `${api}/courses/`, {
    title: `${input.org} ${input.number}`,
    number: input.number,
    org: input.org,
    type: VERIFIED_AUDIT_COURSE,
  });
  const runKeys: string[] = [];
  for (const run of input.runs) {
    const created = await ok(t, as.staff, 'POST', `${api}/course_runs/`, {
      course: course.key,
      start: run.start,
      end: '2027-12-01T00:00:00Z',
      run_type: VERIFIED_AUDIT_RUN,
      ...(run.verified !== undefined ? { prices: { verified: run.verified } } : {}),
    });
    // Published, as a run on sale is: only marketable runs are advertised for their course.
    await ok(t, as.staff, 'PATCH', `${api}/course_runs/${encodeURIComponent(created.key)}/`, {
      status: 'published',
    });
    runKeys.push(created.key);
  }
  return { key: course.key, runKeys };
}
