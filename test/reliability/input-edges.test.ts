import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Persona, personas, type TestApp, testApp } from '../support/app.js';

/**
 * What the fuzzer found, pinned down one request each: inputs that used to end in a 500 (or in
 * Fastify's own error shape) and now get the usual 400 `{detail, error_code}`.
 */
let t: TestApp;
let as: Record<Persona, string | null>;

beforeAll(async () => {
  t = await testApp();
  as = await personas(t);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, who: Persona, payload?: object) =>
  t.request({ method, url, payload, as: as[who] });

describe('inputs at the edge', () => {
  it('refuses a NUL character in a body, a query or a path with validation_failed naming the field', async () => {
    const body = await call('POST', '/credentials/api/v2/pathways/', 'staff', { name: 'a\u0000b' });
    expect(body.statusCode).toBe(400);
    expect(body.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: { name: [expect.any(String)] },
    });

    const query = await call('GET', '/catalog/api/v1/courses/?q=a%00b', 'staff');
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toHaveProperty('q');

    const path = await call('GET', '/catalog/api/v1/organizations/%00/', 'staff');
    expect(path.statusCode).toBe(400);
    expect(path.json().errors).toHaveProperty(['params.key']);
  });

  it('answers a malformed percent-escape in the path with bad_url', async () => {
    const res = await call('GET', '/catalog/api/v1/organizations/%zz/', 'staff');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error_code: 'bad_url', detail: expect.any(String) });
  });

  it('answers a path parameter past the length limit with path_parameter_too_long', async () => {
    const res = await call('GET', `/subsidy/api/v1/subsidies/${'a'.repeat(600)}/`, 'staff');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error_code: 'path_parameter_too_long', detail: expect.any(String) });
  });

  it('refuses a malformed uuid in a catalog ?uuids= list with validation_failed', async () => {
    for (const url of [
      '/catalog/api/v1/courses/?uuids=not-a-uuid',
      '/catalog/api/v1/organizations/?uuids=0',
      '/catalog/api/v1/programs/?uuids=5eed0000-0000-4000-8000-000000000303,nope',
    ]) {
      const res = await call('GET', url, 'staff');
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error_code, url).toBe('validation_failed');
    }
  });

  it('lists no enterprise catalogs or groups to a learner who administers none', async () => {
    for (const url of ['/enterprise/api/v1/enterprise-catalogs/', '/enterprise/api/v1/enterprise-group/']) {
      const res = await call('GET', url, 'learnerA');
      expect(res.statusCode, url).toBe(200);
      expect(res.json().results, url).toEqual([]);
    }
  });

  it('refuses a nudge more than a century ahead with validation_failed', async () => {
    const res = await call(
      'POST',
      '/access/api/v1/assignment-configurations/00000000-0000-4000-8000-000000000000/admin/assignments/nudge/',
      'operator',
      {
        assignment_uuids: ['00000000-0000-4000-8000-000000000001'],
        days_before_course_start_date: 447_885_844,
      },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toHaveProperty('days_before_course_start_date');
  });
});
