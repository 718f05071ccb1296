import { ENTERPRISE_A, ENTERPRISE_B, type TestApp } from './app.js';
import { catalogClient } from './catalog.js';

/**
 * Two enterprises with a catalog each over one organization's courses, a published verified run
 * at $100 open for enrollment (and a published one whose enrollment closed), and a $1,000
 * subsidy for enterprise A active around the test clock.
 */
export async function subsidyWorld(t: TestApp, staff: string) {
  const catalog = catalogClient(t, staff);
  const org = await catalog.org();
  const course = await catalog.course(org, 'verified-audit');
  const run = await catalog.run(course.key, 'verified-audit', {
    start: '2026-05-20T00:00:00Z',
    end: '2026-12-15T00:00:00Z',
    enrollment_start: '2026-05-01T00:00:00Z',
    enrollment_end: '2026-11-01T00:00:00Z',
    prices: { verified: '100.00' },
  });
  const closed = await catalog.run(course.key, 'verified-audit', {
    start: '2026-01-05T00:00:00Z',
    end: '2026-04-15T00:00:00Z',
    enrollment_end: '2026-02-01T00:00:00Z',
    prices: { verified: 100 },
  });
  // On sale, as runs are once reviewed: only published runs are advertised for their course, and a
  // course key is priced by its advertised run.
  for (const r of [run, closed]) {
    const res = await t.request({
      method: 'PATCH',
      url: `/catalog/api/v1/course_runs/${encodeURIComponent(r.key)}/`,
      payload: { status: 'published' },
      as: staff,
    });
    if (res.statusCode !== 200) throw new Error(`publish ${r.key}: ${res.statusCode} ${res.body}`);
  }
  const post = async (url: string, payload: object) => {
    const res = await t.request({ method: 'POST', url, payload, as: staff });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  for (const [uuid, slug] of [
    [ENTERPRISE_A, 'acme'],
    [ENTERPRISE_B, 'globex'],
  ]) {
    await post('/enterprise/api/v1/enterprise-customer/', { uuid, name: slug, slug });
    await post('/enterprise/api/v1/enterprise-catalogs/', {
      enterprise_customer: uuid,
      title: `${slug} catalog`,
      content_filter: { org },
    });
  }
  const subsidy = await post('/subsidy/api/v1/subsidies/', {
    reference_id: `opp-${org}`,
    default_title: 'Acme learner credit',
    default_enterprise_customer_uuid: ENTERPRISE_A,
    default_active_datetime: '2026-01-01T00:00:00Z',
    default_expiration_datetime: '2027-01-01T00:00:00Z',
    default_unit: 'usd_cents',
    default_starting_balance: 100_000,
    default_revenue_category: 'bulk-enrollment-prepay',
    default_internal_only: false,
  });
  return { org, course, run, closed, subsidy };
}

export const POLICY = '9c0ffee0-0000-4000-8000-000000000001';
