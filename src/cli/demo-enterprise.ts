import { buildApp } from '../app.js';
import type { AppContext } from '../context.js';
import { DEMO_SLUG, DEMO_USERS } from '../demo-users.js';
import type { TokenVerifier } from '../http/auth.js';
import { NotAuthenticated } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';

/**
 * The demo enterprise of `campus seed --demo`: "Demo University" with an admin, five learners, a
 * catalog over the sample catalog's HarvardX and MITx courses, a $50,000 subsidy, one budget of
 * each policy type, assignments in several states, spends and learner credit requests.
 *
 * Everything is made through Campus's own HTTP API, in process (`app.inject`): the same
 * validation, authorization and services as any client, no SQL. Safe to repeat: the customer is
 * found by slug, learners are linked again (no change), and the assignments, spends and requests
 * are made only when the assigned budget has none yet.
 */

/** Runs with a verified seat open for enrollment in late 2026 and 2027 (data/catalog-sample.json). */
export const DEMO_RUNS = {
  python: { key: 'course-v1:MITx+6.00.1x+3T2026', course: 'MITx+6.00.1x', cents: 5_000 },
  socialData: { key: 'course-v1:MITx+14.310x+3T2026', course: 'MITx+14.310x', cents: 19_900 },
  probability: { key: 'course-v1:HarvardX+PH125.3x+3T2026', course: 'HarvardX+PH125.3x', cents: 24_900 },
  machineLearning: { key: 'course-v1:MITx+6.86x+2T2026', course: 'MITx+6.86x', cents: 3_500 },
  cs50p: { key: 'course-v1:HarvardX+CS50P+3T2026', course: 'HarvardX+CS50P', cents: 9_900 },
} as const;

export const DEMO_BUDGETS = {
  spend: 'Open enrollment',
  enrollment: 'One course each',
  assigned: 'Assigned courses',
  request: 'Browse & request',
} as const;

export interface DemoEnterpriseReport {
  enterpriseUuid: string;
  created: boolean;
  assignments: number;
  requests: number;
  redemptions: number;
}

const DAY = 24 * 3600 * 1000;
const user = (username: string) => {
  const u = DEMO_USERS.find((d) => d.username === username);
  if (!u) throw new Error(`no demo user ${username}`);
  return u;
};

export async function seedDemoEnterprise(ctx: AppContext): Promise<DemoEnterpriseReport> {
  // Callers are named by opaque tokens that this in-process verifier maps to principals.
  const principals = new Map<string, Principal>();
  const operator: Principal = {
    lmsUserId: 0,
    username: 'campus-seed',
    email: null,
    isStaff: true,
    grants: [],
  };
  principals.set('operator', operator);
  const verifier: TokenVerifier = {
    async verify(token) {
      const p = principals.get(token);
      if (!p) throw new NotAuthenticated();
      return p;
    },
  };
  const app = await buildApp({
    db: ctx.db,
    config: ctx.config,
    clock: ctx.clock,
    ids: ctx.ids,
    // Its calls are the seed's steps, not requests anybody made: only problems are worth a log line.
    logger: ctx.log.child({}, { level: 'warn' }),
    verifier,
  });
  const call = async <T>(as: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({ method, url, payload, headers: { authorization: `JWT ${as}` } });
    if (res.statusCode >= 300) throw new Error(`demo seed: ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  try {
    const now = ctx.clock.now().getTime();
    const customers = await call<{ results: Array<{ uuid: string; slug: string }> }>(
      'operator',
      'GET',
      '/enterprise/api/v1/enterprise-customer/?page_size=100',
    );
    let enterprise = customers.results.find((c) => c.slug === DEMO_SLUG)?.uuid;
    const created = !enterprise;
    if (!enterprise) {
      const provisioned = await call<{ enterprise_customer: { uuid: string } }>(
        'operator',
        'POST',
        '/access/api/v1/provisioning',
        {
          enterprise_customer: { name: 'Demo University', slug: DEMO_SLUG, country: 'US' },
          pending_admins: DEMO_USERS.filter((u) => u.role === 'enterprise_admin').map((u) => ({
            user_email: u.email,
          })),
          enterprise_catalog: {
            title: 'Demo University catalog',
            content_filter: { org: ['HarvardX', 'MITx'] },
          },
          subsidy: {
            title: 'Demo University learner credit',
            starting_balance_cents: 5_000_000,
            active_datetime: new Date(now - 30 * DAY).toISOString(),
            expiration_datetime: new Date(now + 365 * DAY).toISOString(),
            internal_only: false,
          },
          policies: [
            {
              policy_type: 'PerLearnerSpendCreditAccessPolicy',
              access_method: 'direct',
              display_name: DEMO_BUDGETS.spend,
              description: 'Any course in the catalog, up to $500 per learner.',
              active: true,
              spend_limit: 2_000_000,
              per_learner_spend_limit: 50_000,
            },
            {
              policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
              access_method: 'direct',
              display_name: DEMO_BUDGETS.enrollment,
              description: 'One enrollment per learner.',
              active: true,
              spend_limit: 1_000_000,
              per_learner_enrollment_limit: 1,
            },
            {
              policy_type: 'AssignedLearnerCreditAccessPolicy',
              access_method: 'assigned',
              display_name: DEMO_BUDGETS.assigned,
              description: 'Courses the admins assign.',
              active: true,
              spend_limit: 1_500_000,
            },
            {
              policy_type: 'PerLearnerSpendCreditAccessPolicy',
              access_method: 'request',
              display_name: DEMO_BUDGETS.request,
              description: 'Learners ask; admins approve.',
              active: true,
              spend_limit: 500_000,
            },
          ],
        },
      );
      enterprise = provisioned.enterprise_customer.uuid;
    }

    for (const u of DEMO_USERS) {
      principals.set(u.username, {
        lmsUserId: u.lmsUserId,
        username: u.username,
        email: u.email,
        isStaff: false,
        grants: [{ role: u.role, scope: enterprise }],
      });
      if (u.role === 'enterprise_learner') {
        await call('operator', 'POST', `/enterprise/api/v1/enterprise-customer/${enterprise}/learners/`, {
          lms_user_id: u.lmsUserId,
          username: u.username,
          email: u.email,
        });
      }
    }

    type Policy = {
      uuid: string;
      display_name: string | null;
      bnr_enabled: boolean;
      assignment_configuration: { uuid: string } | null;
    };
    const policies = await call<{ results: Policy[] }>(
      'operator',
      'GET',
      `/access/api/v1/subsidy-access-policies/?enterprise_customer_uuid=${enterprise}`,
    );
    const policy = (name: string) => {
      const p = policies.results.find((x) => x.display_name === name);
      if (!p) throw new Error(`demo seed: budget "${name}" is missing`);
      return p;
    };
    const bnr = policy(DEMO_BUDGETS.request);
    if (!bnr.bnr_enabled) {
      await call('operator', 'PATCH', `/access/api/v1/subsidy-access-policies/${bnr.uuid}/`, {
        bnr_enabled: true,
      });
    }

    const assigned = policy(DEMO_BUDGETS.assigned);
    const config = assigned.assignment_configuration?.uuid;
    if (!config) throw new Error('demo seed: the assigned budget has no assignment configuration');
    const existing = await call<{ count: number }>(
      'operator',
      'GET',
      `/access/api/v1/assignment-configurations/${config}/admin/assignments/`,
    );
    const report: DemoEnterpriseReport = {
      enterpriseUuid: enterprise,
      created,
      assignments: 0,
      requests: 0,
      redemptions: 0,
    };
    if (existing.count > 0) return report;

    const admin = 'ada.lovelace';
    const allocate = (run: { key: string; cents: number }, usernames: string[]) =>
      call<{ created: Array<{ uuid: string; learner_email: string }> }>(
        admin,
        'POST',
        `/access/api/v1/policy-allocation/${assigned.uuid}/allocate/`,
        {
          content_key: run.key,
          content_price_cents: run.cents,
          learner_emails: usernames.map((n) => user(n).email),
          admin_lms_user_id: user(admin).lmsUserId,
        },
      );
    const python = await allocate(DEMO_RUNS.python, [
      'alan.turing',
      'katherine.johnson',
      'margaret.hamilton',
      'edsger.dijkstra',
    ]);
    const social = await allocate(DEMO_RUNS.socialData, ['edsger.dijkstra']);
    report.assignments = python.created.length + social.created.length;
    const margaret = python.created.find((a) => a.learner_email === user('margaret.hamilton').email);
    if (margaret) {
      await call(
        admin,
        'POST',
        `/access/api/v1/assignment-configurations/${config}/admin/assignments/cancel/`,
        {
          assignment_uuids: [margaret.uuid],
        },
      );
    }

    const redeem = async (username: string, policyUuid: string, runKey: string) => {
      await call(username, 'POST', `/access/api/v1/policy-redemption/${policyUuid}/redeem/`, {
        lms_user_id: user(username).lmsUserId,
        content_key: runKey,
        metadata: {},
      });
      report.redemptions += 1;
    };
    await redeem('katherine.johnson', assigned.uuid, DEMO_RUNS.python.key);
    await redeem('grace.hopper', policy(DEMO_BUDGETS.spend).uuid, DEMO_RUNS.probability.key);
    await redeem('alan.turing', policy(DEMO_BUDGETS.enrollment).uuid, DEMO_RUNS.cs50p.key);

    const ask = (username: string, run: { course: string; cents: number }) =>
      call<{ uuid: string }>(username, 'POST', '/access/api/v1/learner-credit-requests/', {
        policy_uuid: bnr.uuid,
        course_id: run.course,
        course_price: run.cents,
        enterprise_customer_uuid: enterprise,
      });
    await ask('alan.turing', DEMO_RUNS.machineLearning);
    await ask('edsger.dijkstra', DEMO_RUNS.probability);
    const declined = await ask('margaret.hamilton', DEMO_RUNS.cs50p);
    await call(admin, 'POST', '/access/api/v1/learner-credit-requests/decline/', {
      subsidy_request_uuid: declined.uuid,
      enterprise_customer_uuid: enterprise,
      send_notification: false,
      decline_reason: 'Please take the free audit track first.',
    });
    report.requests = 3;
    return report;
  } finally {
    await app.close();
  }
}
