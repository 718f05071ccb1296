import type { TestApp } from '../../../../test/support/app.js';
import { catalogClient } from '../../../../test/support/catalog.js';

/** A token for `enterprise_provisioning_admin:*`. */
export const provisioningAdmin = (t: TestApp) =>
  t.token({ userId: 920, email: 'provisioning@example.com', roles: ['enterprise_provisioning_admin:*'] });

/** One organization's course with a $100 verified run open for enrollment around the test clock. */
export async function catalogWorld(t: TestApp, staff: string) {
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
  return { org, course, run: run as { key: string } };
}

/** A whole provisioning request for `slug` over the organization's content. */
export function provisioningRequest(slug: string, org: string, extra: Record<string, unknown> = {}) {
  return {
    enterprise_customer: { name: `${slug} Inc.`, slug, country: 'us' },
    pending_admins: [
      { user_email: `Boss@${slug}.example.com` },
      { user_email: `deputy@${slug}.example.com` },
    ],
    enterprise_catalog: { title: `${slug} catalog`, content_filter: { org } },
    subsidy: {
      title: `${slug} learner credit`,
      starting_balance_cents: 500_000,
      active_datetime: '2026-01-01T00:00:00Z',
      expiration_datetime: '2027-01-01T00:00:00Z',
    },
    policies: [
      {
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        access_method: 'direct',
        display_name: 'Open budget',
        active: true,
        spend_limit: 300_000,
        per_learner_spend_limit: 50_000,
      },
      {
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        access_method: 'assigned',
        display_name: 'Assigned budget',
        active: true,
        spend_limit: 200_000,
      },
    ],
    ...extra,
  };
}
