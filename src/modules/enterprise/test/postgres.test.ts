import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { isActiveMember } from '../index.js';
import { type As, createCourse, createEnterprises, ok } from './fixtures.js';

const api = '/enterprise/api/v1';

describePg('enterprise on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: As;

  beforeAll(async () => {
    pg = await createPgDatabase();
    t = await testApp({ db: pg.db });
    as = await personas(t);
    await createEnterprises(t, as);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  it('gives one 201 and 409 slug_taken to the rest when customers race for one slug', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.request({
          method: 'POST',
          url: `${api}/enterprise-customer/`,
          payload: { name: `Racer ${i}`, slug: 'racer' },
          as: as.operator,
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().error_code === 'slug_taken'),
    ).toBe(true);
  });

  it('links an invitation once when the invited person sends many first requests at once', async () => {
    await ok(t, as.adminA, 'POST', `${api}/enterprise-customer/${ENTERPRISE_A}/learners/`, {
      emails: ['racer@example.com'],
    });
    const token = await t.token({ userId: 7001, email: 'racer@example.com' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.request({ method: 'GET', url: `${api}/memberships/`, as: token })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await isActiveMember(pg.db.kysely, ENTERPRISE_A, 7001)).toBe(true);
    const page = await ok(t, as.adminA, 'GET', `${api}/enterprise-customer/${ENTERPRISE_A}/learners/`);
    expect(page.results.filter((l: { lms_user_id: number }) => l.lms_user_id === 7001)).toHaveLength(1);
  });

  it('answers contains_content_items per key', async () => {
    const course = await createCourse(t, as, {
      org: 'PgX',
      number: 'P1',
      runs: [{ start: '2026-05-01T00:00:00Z' }],
    });
    const catalog = await ok(t, as.operator, 'POST', `${api}/enterprise-catalogs/`, {
      enterprise_customer: ENTERPRISE_A,
      title: 'Pg',
      content_filter: { org: 'PgX', content_type: 'course' },
    });
    const run = course.runKeys[0] as string;
    const res = await ok(
      t,
      as.learnerA,
      'GET',
      `${api}/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(run)},nope`,
    );
    expect(res).toEqual({ contains_content_items: false, by_key: { [run]: true, nope: false } });
  });
});
