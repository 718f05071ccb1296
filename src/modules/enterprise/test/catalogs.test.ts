import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { type As, createCourse, createEnterprises, ok } from './fixtures.js';

const api = '/enterprise/api/v1';

describe('enterprise catalogs and what they contain', () => {
  let t: TestApp;
  let as: As;
  let alpha: { key: string; runKeys: string[] };
  let beta: { key: string; runKeys: string[] };
  let gamma: { key: string; runKeys: string[] };
  let byCourse: string;
  let byRun: string;
  let byOrg: string;

  const contains = (catalog: string, keys: string[], who = as.adminA) =>
    t.request({
      method: 'GET',
      url: `${api}/enterprise-catalogs/${catalog}/contains_content_items/?${keys
        .map((k) => `course_run_ids=${encodeURIComponent(k)}`)
        .join('&')}`,
      as: who,
    });

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    await createEnterprises(t, as);
    alpha = await createCourse(t, as, {
      org: 'AlphaX',
      number: 'A1',
      runs: [{ start: '2026-05-01T00:00:00Z', verified: 49 }, { start: '2026-09-01T00:00:00Z' }],
    });
    beta = await createCourse(t, as, {
      org: 'AlphaX',
      number: 'B1',
      runs: [{ start: '2026-05-01T00:00:00Z' }],
    });
    gamma = await createCourse(t, as, {
      org: 'GammaX',
      number: 'G1',
      runs: [{ start: '2026-05-01T00:00:00Z' }],
    });
    const catalog = async (title: string, content_filter: object, customer = ENTERPRISE_A) =>
      (
        await ok(t, as.operator, 'POST', `${api}/enterprise-catalogs/`, {
          enterprise_customer: customer,
          title,
          content_filter,
        })
      ).uuid as string;
    byCourse = await catalog('Alpha course', { content_type: 'course', key: alpha.key });
    byRun = await catalog('One Beta run', { content_type: 'courserun', key: [beta.runKeys[0]] });
    byOrg = await catalog('Gamma org', { org: 'GammaX' }, ENTERPRISE_B);
  });
  afterAll(() => t.close());

  it('keeps keys with + intact (they are course keys)', () => {
    expect(alpha.key).toContain('+');
    expect(alpha.runKeys[0]).toContain('+');
  });

  it('contains the runs of a course the filter selects (run in course)', async () => {
    const res = await contains(byCourse, [alpha.runKeys[1] as string]);
    expect(res.json()).toEqual({
      contains_content_items: true,
      by_key: { [alpha.runKeys[1] as string]: true },
    });
  });

  it('contains the course of a run the filter selects (course in run)', async () => {
    const res = await contains(byRun, [beta.key]);
    expect(res.json()).toEqual({ contains_content_items: true, by_key: { [beta.key]: true } });
  });

  it('answers per key, and is true only when ALL keys are in', async () => {
    const keys = [alpha.key, alpha.runKeys[0] as string, beta.key, 'course-v1:Nope+N1+2026', gamma.key];
    const res = await contains(byCourse, keys);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      contains_content_items: false,
      by_key: {
        [alpha.key]: true,
        [alpha.runKeys[0] as string]: true,
        [beta.key]: false,
        'course-v1:Nope+N1+2026': false,
        [gamma.key]: false,
      },
    });
  });

  it('reads comma-separated keys and literal + signs in the query string', async () => {
    const raw = `${alpha.key},${alpha.runKeys[0]}`;
    const res = await t.request({
      method: 'GET',
      url: `${api}/enterprise-catalogs/${byCourse}/contains_content_items/?course_run_ids=${raw}`,
      as: as.learnerA,
    });
    expect(res.json()).toEqual({
      contains_content_items: true,
      by_key: { [alpha.key]: true, [alpha.runKeys[0] as string]: true },
    });
  });

  it('needs at least one key', async () => {
    const res = await contains(byCourse, []);
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('missing_content_keys');
  });

  it('hides a catalog from another enterprise and from anonymous callers', async () => {
    expect((await contains(byCourse, [alpha.key], as.adminB)).statusCode).toBe(404);
    expect((await contains(byCourse, [alpha.key], as.learnerB)).statusCode).toBe(404);
    expect((await contains(byCourse, [alpha.key], null)).statusCode).toBe(401);
    const get = await t.request({
      method: 'GET',
      url: `${api}/enterprise-catalogs/${byOrg}/`,
      as: as.adminA,
    });
    expect(get.statusCode).toBe(404);
  });

  it("answers over all the customer's catalogs, with the catalogs that contain the keys", async () => {
    const keys = [alpha.runKeys[0] as string, beta.runKeys[0] as string, gamma.key];
    const q = keys.map((k) => `course_run_ids=${encodeURIComponent(k)}`).join('&');
    const res = await ok(
      t,
      as.learnerA,
      'GET',
      `${api}/enterprise-customer/${ENTERPRISE_A}/contains_content_items/?${q}&get_catalogs_containing_specified_content_ids=true`,
    );
    expect(res.contains_content_items).toBe(false);
    expect(res.by_key).toEqual({ [keys[0] as string]: true, [keys[1] as string]: true, [gamma.key]: false });
    expect(res.catalog_list.sort()).toEqual([byCourse, byRun].sort());
    const plain = await ok(
      t,
      as.adminA,
      'GET',
      `${api}/enterprise-customer/${ENTERPRISE_A}/contains_content_items/?course_run_ids=${encodeURIComponent(alpha.key)}`,
    );
    expect(plain).toEqual({ contains_content_items: true, by_key: { [alpha.key]: true } });
    const other = await t.request({
      method: 'GET',
      url: `${api}/enterprise-customer/${ENTERPRISE_A}/contains_content_items/?course_run_ids=x`,
      as: as.learnerB,
    });
    expect(other.statusCode).toBe(403);
  });

  it('answers for program uuids too, per key', async () => {
    const program = await ok(t, as.staff, 'POST', '/catalog/api/v1/programs/', {
      title: 'Gamma program',
      type: 'xseries',
      courses: [gamma.key],
    });
    const programs = await ok(t, as.operator, 'POST', `${api}/enterprise-catalogs/`, {
      enterprise_customer: ENTERPRISE_B,
      title: 'Programs',
      content_filter: { content_type: 'program' },
    });
    const res = await ok(
      t,
      as.adminB,
      'GET',
      `${api}/enterprise-catalogs/${programs.uuid}/contains_content_items/?program_uuids=${program.uuid}&course_run_ids=${encodeURIComponent(gamma.key)}`,
    );
    expect(res).toEqual({
      contains_content_items: false,
      by_key: { [program.uuid]: true, [gamma.key]: false },
    });
    await ok(t, as.operator, 'DELETE', `${api}/enterprise-catalogs/${programs.uuid}/`, undefined, 204);
  });

  it('shows content metadata with content_price in cents and price in dollars', async () => {
    const run = alpha.runKeys[0] as string;
    const res = await ok(
      t,
      as.learnerA,
      'GET',
      `/enterprise/api/v2/enterprise-customer/${ENTERPRISE_A}/content-metadata/${encodeURIComponent(run)}/`,
    );
    expect(res).toMatchObject({
      key: run,
      content_type: 'courserun',
      content_key: run,
      parent_content_key: alpha.key,
      content_price: 4900,
      price: '49.00',
      catalog_uuids: [byCourse],
    });
    const course = await ok(
      t,
      as.adminA,
      'GET',
      `/enterprise/api/v2/enterprise-customer/${ENTERPRISE_A}/content-metadata/${encodeURIComponent(alpha.key)}/`,
    );
    expect(course).toMatchObject({ content_type: 'course', parent_content_key: null, content_price: 4900 });
    const missing = await t.request({
      method: 'GET',
      url: `/enterprise/api/v2/enterprise-customer/${ENTERPRISE_A}/content-metadata/${encodeURIComponent(gamma.key)}/`,
      as: as.adminA,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe('content_not_found');
  });

  it('refuses an unknown or malformed filter key with 400 invalid_content_filter', async () => {
    const res = await t.request({
      method: 'POST',
      url: `${api}/enterprise-catalogs/`,
      payload: {
        enterprise_customer: ENTERPRISE_A,
        title: 'Bad',
        content_filter: { colour: 'red', org: [], content_type: 'video' },
      },
      as: as.operator,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('invalid_content_filter');
    expect(Object.keys(res.json().errors).sort()).toEqual([
      'content_filter.colour',
      'content_filter.content_type',
      'content_filter.org',
    ]);
  });

  it('lets operators update and delete a catalog; admins only read their own', async () => {
    const created = await ok(t, as.operator, 'POST', `${api}/enterprise-catalogs/`, {
      enterprise_customer: ENTERPRISE_A,
      title: 'Temp',
      content_filter: { org: 'AlphaX' },
    });
    const url = `${api}/enterprise-catalogs/${created.uuid}/`;
    expect(await ok(t, as.adminA, 'GET', url)).toEqual(created);
    const patched = await ok(t, as.operator, 'PATCH', url, { content_filter: { org: ['AlphaX', 'GammaX'] } });
    expect(patched.content_filter).toEqual({ org: ['AlphaX', 'GammaX'] });
    expect((await contains(created.uuid, [gamma.runKeys[0] as string])).json().contains_content_items).toBe(
      true,
    );
    const denied = await t.request({ method: 'PATCH', url, payload: { title: 'Mine' }, as: as.adminA });
    expect(denied.statusCode).toBe(403);
    const list = await ok(t, as.adminA, 'GET', `${api}/enterprise-catalogs/`);
    expect(list.results.map((c: { uuid: string }) => c.uuid).sort()).toEqual(
      [byCourse, byRun, created.uuid].sort(),
    );
    expect((await ok(t, as.adminB, 'GET', `${api}/enterprise-catalogs/`)).results).toHaveLength(1);
    await ok(t, as.operator, 'DELETE', url, undefined, 204);
    expect((await t.request({ method: 'GET', url, as: as.operator })).statusCode).toBe(404);
  });
});
