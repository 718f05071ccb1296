/**
 * A learner-credit world built through the HTTP API of a running Campus process, on the real
 * clock (a spawned server cannot be given a FixedClock): one enterprise with a catalog over one
 * organization, `runs` $100 course runs open for enrollment today, a subsidy active around today,
 * a direct policy, an assigned-credit policy and a browse & request (bnr) policy over it.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken, type TokenClaims } from '../../src/http/auth.js';
import type { HttpAnswer, HttpCall } from './campus-process.js';
import { COURSE_TYPE, RUN_TYPE } from './catalog.js';

export type Caller = (call: HttpCall) => Promise<HttpAnswer>;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Tokens valid for a day, signed with the server's secret at the real time. */
export function liveTokens(secret: string) {
  return (claims: Partial<TokenClaims> & { userId: number }) =>
    signDevToken(secret, { username: `user${claims.userId}`, expiresIn: 86_400, ...claims });
}

export interface LiveWorld {
  enterprise: string;
  catalog: string;
  org: string;
  courseKey: string;
  runKeys: string[];
  subsidy: { uuid: string };
  direct: { uuid: string; spendLimit: number };
  assigned: { uuid: string; configuration: string; spendLimit: number };
  /**
   * A per-learner spend policy with browse & request on (access method `request`): learners ask
   * for `courseKey` at $100, admins approve requests into assignments of `configuration`.
   */
  bnr: { uuid: string; configuration: string; spendLimit: number };
  /** Cents the subsidy started with. */
  startingBalance: number;
  staff: string;
  operator: string;
  admin: string;
}

export async function liveWorld(
  call: Caller,
  secret: string,
  options: { runs?: number; startingBalance?: number; policyLimit?: number; bnrLimit?: number } = {},
): Promise<LiveWorld> {
  const token = liveTokens(secret);
  const enterprise = randomUUID();
  const staff = await token({ userId: 1, email: 'staff@example.com', isStaff: true });
  const operator = await token({
    userId: 2,
    email: 'ops@example.com',
    roles: ['enterprise_openedx_operator:*'],
  });
  const admin = await token({
    userId: 3,
    email: 'admin@example.com',
    roles: [`enterprise_admin:${enterprise}`],
  });
  const send = async <T>(method: 'POST' | 'PATCH', path: string, body: object, as: string): Promise<T> => {
    const res = await call({ method, path, body, as });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`world: ${method} ${path} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as T;
  };
  const post = <T>(path: string, body: object, as: string) => send<T>('POST', path, body, as);

  const tag = randomUUID().slice(0, 8);
  const org = `Org${tag}`;
  await post('/catalog/api/v1/organizations/', { key: org, name: `${org} University` }, staff);
  const course = await post<{ key: string }>(
    '/catalog/api/v1/courses/',
    { title: 'Reliability', number: `R${tag}`, org, type: COURSE_TYPE['verified-audit'] },
    staff,
  );
  const now = Date.now();
  const runKeys: string[] = [];
  for (let i = 0; i < (options.runs ?? 4); i++) {
    const run = await post<{ key: string }>(
      '/catalog/api/v1/course_runs/',
      {
        course: course.key,
        run_type: RUN_TYPE['verified-audit'],
        // Started five days ago: inside the 14-day refund window, so unenrolling refunds.
        start: iso(now - 5 * DAY + i * 60_000),
        end: iso(now + 120 * DAY),
        enrollment_start: iso(now - 30 * DAY),
        enrollment_end: iso(now + 60 * DAY),
        prices: { verified: '100.00' },
      },
      staff,
    );
    // Published: a course key (requests name one) is priced by its advertised, marketable run.
    await send(
      'PATCH',
      `/catalog/api/v1/course_runs/${encodeURIComponent(run.key)}/`,
      { status: 'published' },
      staff,
    );
    runKeys.push(run.key);
  }

  await post(
    '/enterprise/api/v1/enterprise-customer/',
    { uuid: enterprise, name: 'Acme', slug: `acme-${tag}` },
    staff,
  );
  const catalog = await post<{ uuid: string }>(
    '/enterprise/api/v1/enterprise-catalogs/',
    { enterprise_customer: enterprise, title: 'Acme catalog', content_filter: { org } },
    staff,
  );
  const startingBalance = options.startingBalance ?? 1_000_000_000;
  const subsidy = await post<{ uuid: string }>(
    '/subsidy/api/v1/subsidies/',
    {
      reference_id: `opp-${tag}`,
      default_title: 'Acme learner credit',
      default_enterprise_customer_uuid: enterprise,
      default_active_datetime: iso(now - 365 * DAY),
      default_expiration_datetime: iso(now + 365 * DAY),
      default_unit: 'usd_cents',
      default_starting_balance: startingBalance,
      default_revenue_category: 'bulk-enrollment-prepay',
      default_internal_only: false,
    },
    operator,
  );
  const policyLimit = options.policyLimit ?? Math.floor(startingBalance / 4);
  type PolicyBody = { uuid: string; assignment_configuration?: { uuid: string } | string | null };
  const policy = (type: string, name: string, accessMethod: string, spendLimit = policyLimit) =>
    post<PolicyBody>(
      '/access/api/v1/subsidy-access-policies/',
      {
        policy_type: type,
        enterprise_customer_uuid: enterprise,
        catalog_uuid: catalog.uuid,
        subsidy_uuid: subsidy.uuid,
        access_method: accessMethod,
        display_name: name,
        active: true,
        spend_limit: spendLimit,
      },
      operator,
    );
  const configurationOf = (p: PolicyBody, what: string) => {
    const uuid =
      typeof p.assignment_configuration === 'string'
        ? p.assignment_configuration
        : p.assignment_configuration?.uuid;
    if (!uuid) throw new Error(`world: the ${what} policy has no configuration: ${JSON.stringify(p)}`);
    return uuid;
  };
  const direct = await policy('PerLearnerEnrollmentCreditAccessPolicy', 'Direct', 'direct');
  const assigned = await policy('AssignedLearnerCreditAccessPolicy', 'Assigned', 'assigned');
  const configuration = configurationOf(assigned, 'assigned');
  const bnrLimit = options.bnrLimit ?? policyLimit;
  const asked = await policy('PerLearnerSpendCreditAccessPolicy', 'Browse and request', 'request', bnrLimit);
  const bnr = await send<PolicyBody & { bnr_enabled?: boolean }>(
    'PATCH',
    `/access/api/v1/subsidy-access-policies/${asked.uuid}/`,
    { bnr_enabled: true },
    operator,
  );
  if (bnr.bnr_enabled !== true) throw new Error(`world: bnr not enabled: ${JSON.stringify(bnr)}`);
  return {
    enterprise,
    catalog: catalog.uuid,
    org,
    courseKey: course.key,
    runKeys,
    subsidy: { uuid: subsidy.uuid },
    direct: { uuid: direct.uuid, spendLimit: policyLimit },
    assigned: { uuid: assigned.uuid, configuration, spendLimit: policyLimit },
    bnr: { uuid: bnr.uuid, configuration: configurationOf(bnr, 'bnr'), spendLimit: bnrLimit },
    startingBalance,
    staff,
    operator,
    admin,
  };
}
