import { provisioningRequest } from '../../src/modules/provisioning/test/fixtures.js';
import { ENTERPRISE_A, ENTERPRISE_B, type personas, type TestApp } from './app.js';
import { COURSE_TYPE, RUN_TYPE } from './catalog.js';
import { subsidyWorld } from './worlds.js';

type Personas = Awaited<ReturnType<typeof personas>>;

/** A's objects of one kind (several where a route may need one of several, e.g. policy types). */
export interface ObjectsOfKind {
  /** A's objects; the first one is the one a generated request uses by default. */
  a: string[];
  /** Another enterprise's object of this kind (enterprise-scoped kinds only). */
  b?: string;
  /** An object of this kind that was deleted (or retired, where deleting is a soft delete). */
  deleted?: string;
}

/**
 * The kinds of object a path parameter can name. `scoped` kinds belong to one enterprise: a route
 * reaching one names that enterprise, and the cross-enterprise matrix calls it as another one.
 */
export const KINDS = {
  enterprise: { scoped: true },
  catalog: { scoped: true },
  group: { scoped: true },
  learner: { scoped: true },
  subsidy: { scoped: true },
  transaction: { scoped: true },
  enrollment: { scoped: true },
  policy: { scoped: true },
  assignedPolicy: { scoped: true },
  configuration: { scoped: true },
  assignment: { scoped: true },
  request: { scoped: true },
  courseType: { scoped: false },
  runType: { scoped: false },
  programType: { scoped: false },
  organization: { scoped: false },
  course: { scoped: false },
  run: { scoped: false },
  program: { scoped: false },
  programRecord: { scoped: false },
  sharedRecord: { scoped: false },
  credential: { scoped: false },
  grade: { scoped: false },
  courseCertificate: { scoped: false },
  pathway: { scoped: false },
  workflow: { scoped: false },
} as const;
export type Kind = keyof typeof KINDS;

/**
 * What each path parameter names, keyed by the static segment before it and its name (see
 * `paramKeys`). A route with a key missing here fails the generated tests until it is added.
 */
export const PATH_PARAMS: Record<string, Kind> = {
  'course_types/{uuid}': 'courseType',
  'course_run_types/{uuid}': 'runType',
  'program_types/{slug}': 'programType',
  'organizations/{key}': 'organization',
  'courses/{key}': 'course',
  'course_runs/{key}': 'run',
  'programs/{uuid}': 'program',
  'enterprise-customer/{uuid}': 'enterprise',
  'enterprise-customer/{enterprise_customer_uuid}': 'enterprise',
  'v1/{enterprise_uuid}': 'enterprise',
  'learners/{lms_user_id}': 'learner',
  'content-metadata/{key}': 'course',
  'enterprise-catalogs/{uuid}': 'catalog',
  'enterprise-group/{uuid}': 'group',
  'delete-group-association/{group_uuid}': 'group',
  'subsidies/{uuid}': 'subsidy',
  'subsidies/{subsidy_uuid}': 'subsidy',
  'transactions/{uuid}': 'transaction',
  'enrollments/{uuid}': 'enrollment',
  'credentials/{uuid}': 'credential',
  'grades/{uuid}': 'grade',
  'course_certificates/{course_id}': 'courseCertificate',
  'pathways/{uuid}': 'pathway',
  'program_records/{uuid}': 'programRecord',
  'shared/{uuid}': 'sharedRecord',
  'subsidy-access-policies/{uuid}': 'policy',
  'policy-redemption/{policy_uuid}': 'policy',
  'policy-allocation/{policy_uuid}': 'assignedPolicy',
  'assignment-configurations/{uuid}': 'configuration',
  'assignment-configurations/{config_uuid}': 'configuration',
  'assignments/{assignment_uuid}': 'assignment',
  'assignments/{uuid}': 'assignment',
  'workflows/{uuid}': 'workflow',
  'learner-credit-requests/{uuid}': 'request',
  'customer-configurations/{uuid}': 'enterprise',
  'course_review/{course_key}': 'course',
  'course_recommendations/{course_key}': 'course',
};

/** Body and query fields that carry an enterprise or one of its objects, by field name. */
export const FIELD_KINDS: Record<string, Kind> = {
  enterprise_customer_uuid: 'enterprise',
  enterprise_customer: 'enterprise',
  default_enterprise_customer_uuid: 'enterprise',
  enterprise_uuid: 'enterprise',
  catalog_uuid: 'catalog',
  group_uuid: 'group',
  group_associations: 'group',
  subsidy_uuid: 'subsidy',
  policy_uuid: 'policy',
  subsidy_access_policy_uuid: 'policy',
  assignment_uuids: 'assignment',
  learner_credit_request_uuids: 'request',
  learner_credit_request_uuid: 'request',
  subsidy_request_uuid: 'request',
  request_uuid: 'request',
};

export type EnterpriseObjects = Awaited<ReturnType<typeof buildEnterpriseObjects>>;

/**
 * Enterprise A with an object of every kind, built through the API once: its catalog, a group, a
 * learner, a subsidy, a policy of each type (one switched to browse & request), an assignment
 * configuration with assignments, a redemption (transaction and enrollment), a learner credit
 * request and the customer configuration; enterprise B with its own catalog, group, subsidy and
 * policy; deleted objects of most kinds; and the catalog and credentials objects (not owned by an
 * enterprise) that the other routes name.
 */
export async function buildEnterpriseObjects(t: TestApp, as: Personas) {
  const staff = as.staff ?? '';
  const w = await subsidyWorld(t, staff);
  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload: unknown,
    who: string | null,
    expect: number[] = [200, 201, 202, 204],
  ) => {
    const res = await t.request({ method, url, payload: payload as object, as: who });
    if (!expect.includes(res.statusCode)) {
      throw new Error(`building the world: ${method} ${url} -> ${res.statusCode} ${res.body}`);
    }
    return res.body ? res.json() : {};
  };
  const post = (url: string, payload: unknown, who: string | null = as.operator) =>
    call('POST', url, payload, who);
  const remove = (url: string, who: string | null = as.operator) => call('DELETE', url, undefined, who);

  const catalogs = await call(
    'GET',
    '/enterprise/api/v1/enterprise-catalogs/?page_size=100',
    undefined,
    staff,
  );
  const catalogOf = (enterprise: string) =>
    (catalogs.results as Array<{ uuid: string; enterprise_customer: string }>).find(
      (c) => c.enterprise_customer === enterprise,
    )?.uuid ?? '';
  const catalogA = catalogOf(ENTERPRISE_A);
  const catalogB = catalogOf(ENTERPRISE_B);
  const deletedCatalog = await post('/enterprise/api/v1/enterprise-catalogs/', {
    enterprise_customer: ENTERPRISE_A,
    title: 'Doomed catalog',
    content_filter: { org: w.org },
  });
  await remove(`/enterprise/api/v1/enterprise-catalogs/${deletedCatalog.uuid}/`);

  const group = (enterprise: string, name: string) =>
    post('/enterprise/api/v1/enterprise-group/', { enterprise_customer: enterprise, name });
  const groupA = await group(ENTERPRISE_A, 'Group A');
  const groupB = await group(ENTERPRISE_B, 'Group B');
  const deletedGroup = await group(ENTERPRISE_A, 'Doomed group');
  await remove(`/enterprise/api/v1/enterprise-group/${deletedGroup.uuid}/`);
  await post(`/enterprise/api/v1/enterprise-group/${groupA.uuid}/assign_learners/`, {
    learner_emails: ['learner.a@example.com'],
  });
  for (const [enterprise, id] of [
    [ENTERPRISE_A, 5001],
    [ENTERPRISE_B, 5002],
  ] as const) {
    await post(`/enterprise/api/v1/enterprise-customer/${enterprise}/learners/`, {
      lms_user_id: id,
      username: `member${id}`,
      email: `member${id}@example.com`,
    });
  }
  const deletedLearner = 5003;
  await post(`/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`, {
    lms_user_id: deletedLearner,
    username: 'gone',
    email: 'gone@example.com',
  });
  await remove(`/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/${deletedLearner}/`);

  const subsidy = (enterprise: string, ref: string) =>
    post(
      '/subsidy/api/v1/subsidies/',
      {
        reference_id: ref,
        default_title: `${ref} credit`,
        default_enterprise_customer_uuid: enterprise,
        default_active_datetime: '2026-01-01T00:00:00Z',
        default_expiration_datetime: '2027-01-01T00:00:00Z',
        default_unit: 'usd_cents',
        default_starting_balance: 100_000,
        default_revenue_category: 'bulk-enrollment-prepay',
        default_internal_only: false,
      },
      staff,
    );
  const subsidyB = await subsidy(ENTERPRISE_B, 'opp-b');
  const deletedSubsidy = await subsidy(ENTERPRISE_A, 'opp-doomed');
  await remove(`/subsidy/api/v1/subsidies/${deletedSubsidy.uuid}/`, staff);

  const POLICIES = '/access/api/v1/subsidy-access-policies';
  const policy = (fields: Record<string, unknown>, enterprise = ENTERPRISE_A) =>
    post(`${POLICIES}/`, {
      enterprise_customer_uuid: enterprise,
      catalog_uuid: enterprise === ENTERPRISE_A ? catalogA : catalogB,
      subsidy_uuid: enterprise === ENTERPRISE_A ? w.subsidy.uuid : subsidyB.uuid,
      active: true,
      ...fields,
    });
  const enrollmentPolicy = await policy({
    policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
    access_method: 'direct',
    display_name: 'Enrollment budget',
    spend_limit: 20_000,
    per_learner_enrollment_limit: 5,
  });
  const spendPolicy = await policy({
    policy_type: 'PerLearnerSpendCreditAccessPolicy',
    access_method: 'direct',
    display_name: 'Spend budget',
    spend_limit: 20_000,
    per_learner_spend_limit: 20_000,
    group_associations: [groupA.uuid],
  });
  const assignedPolicy = await policy({
    policy_type: 'AssignedLearnerCreditAccessPolicy',
    access_method: 'assigned',
    display_name: 'Assigned budget',
    spend_limit: 30_000,
  });
  const requestPolicy = await policy({
    policy_type: 'PerLearnerSpendCreditAccessPolicy',
    access_method: 'request',
    display_name: 'Browse and request',
    spend_limit: 20_000,
    group_associations: [groupA.uuid],
  });
  await call('PATCH', `${POLICIES}/${requestPolicy.uuid}/`, { bnr_enabled: true }, as.operator);
  const policyB = await policy(
    {
      policy_type: 'PerLearnerSpendCreditAccessPolicy',
      access_method: 'direct',
      display_name: 'B budget',
      spend_limit: 10_000,
    },
    ENTERPRISE_B,
  );
  // A policy with the same type, catalog, subsidy and access method as an active one is that one.
  const deletedPolicy = await policy({
    policy_type: 'PerLearnerEnrollmentCreditAccessPolicy',
    access_method: 'request',
    display_name: 'Doomed budget',
    spend_limit: 1_000,
  });
  await call('DELETE', `${POLICIES}/${deletedPolicy.uuid}/`, {}, as.operator);

  const configuration = (assignedPolicy.assignment_configuration?.uuid ??
    assignedPolicy.assignment_configuration) as string;
  const configB = await post('/access/api/v1/assignment-configurations/', {
    enterprise_customer_uuid: ENTERPRISE_B,
  });
  const deletedConfig = await post('/access/api/v1/assignment-configurations/', {
    enterprise_customer_uuid: ENTERPRISE_A,
  });
  await remove(`/access/api/v1/assignment-configurations/${deletedConfig.uuid}/`);
  const allocated = await post(
    `/access/api/v1/policy-allocation/${assignedPolicy.uuid}/allocate/`,
    {
      learner_emails: ['learner.a@example.com', 'member5001@example.com', 'someone@example.com'],
      content_key: w.run.key,
      content_price_cents: 10_000,
    },
    as.adminA,
  );
  const assignments = (allocated.created as Array<{ uuid: string }>).map((a) => a.uuid);

  const redeemed = await post(
    `/access/api/v1/policy-redemption/${enrollmentPolicy.uuid}/redeem/`,
    { content_key: w.run.key },
    as.learnerA,
  );
  const transaction = (redeemed.uuid ?? redeemed.transaction_uuid) as string;
  const enrollment = redeemed.fulfillment_identifier as string;

  const request = await post(
    '/access/api/v1/learner-credit-requests/',
    {
      policy_uuid: requestPolicy.uuid,
      course_id: w.course.key,
      course_price: 10_000,
      enterprise_customer_uuid: ENTERPRISE_A,
    },
    as.learnerA,
  );
  // A customer configuration is named by its enterprise's uuid (one per enterprise).
  await post('/access/api/v1/customer-configurations/', {
    enterprise_customer_uuid: ENTERPRISE_A,
    subsidy_requests_enabled: false,
  });

  // Catalog and credentials objects: not an enterprise's, named by the other routes.
  const program = await post(
    '/catalog/api/v1/programs/',
    { title: 'Fuzz Program', type: 'xseries', status: 'active', courses: [w.course.key] },
    staff,
  );
  const credential = await post(
    '/credentials/api/v2/credentials/',
    { username: 'user101', lms_user_id: 101, credential: { course_run_key: w.closed.key, mode: 'verified' } },
    staff,
  );
  const deletedCredential = await post(
    '/credentials/api/v2/credentials/',
    { username: 'user201', lms_user_id: 201, credential: { course_run_key: w.closed.key, mode: 'verified' } },
    staff,
  );
  await remove(`/credentials/api/v2/credentials/${deletedCredential.uuid}/`, staff);
  const grade = await post(
    '/credentials/api/v2/grades/',
    { username: 'user101', course_run: w.closed.key, letter_grade: 'A', percent_grade: 0.9, verified: true },
    staff,
  );
  await post(
    '/credentials/api/v2/course_certificates/',
    { course_id: w.closed.key, certificate_type: 'verified' },
    staff,
  );
  const pathway = await post(
    '/credentials/api/v2/pathways/',
    { name: 'Fuzz credit', email: 'credit@example.com', programs: [program.uuid] },
    staff,
  );
  const deletedPathway = await post('/credentials/api/v2/pathways/', { name: 'Doomed pathway' }, staff);
  await remove(`/credentials/api/v2/pathways/${deletedPathway.id}/`, staff);
  const shared = await post(
    `/credentials/records/programs/${program.uuid}/share`,
    { username: 'user101' },
    as.learnerA,
  );
  const sharedUuid = new URL(shared.url as string).pathname.split('/').at(-2) ?? '';
  const provisioned = await post('/access/api/v1/provisioning', provisioningRequest('fuzz-corp', w.org));

  const objects: Record<Kind, ObjectsOfKind> = {
    enterprise: { a: [ENTERPRISE_A], b: ENTERPRISE_B },
    catalog: { a: [catalogA], b: catalogB, deleted: deletedCatalog.uuid },
    group: { a: [groupA.uuid], b: groupB.uuid, deleted: deletedGroup.uuid },
    learner: { a: ['5001', '101'], b: '5002', deleted: String(deletedLearner) },
    subsidy: { a: [w.subsidy.uuid], b: subsidyB.uuid, deleted: deletedSubsidy.uuid },
    transaction: { a: [transaction] },
    enrollment: { a: [enrollment] },
    policy: {
      // Browse & request first: every policy route takes it, and request routes take no other.
      a: [requestPolicy.uuid, spendPolicy.uuid, enrollmentPolicy.uuid, assignedPolicy.uuid],
      b: policyB.uuid,
      deleted: deletedPolicy.uuid,
    },
    assignedPolicy: { a: [assignedPolicy.uuid], b: policyB.uuid, deleted: deletedPolicy.uuid },
    configuration: { a: [configuration], b: configB.uuid, deleted: deletedConfig.uuid },
    assignment: { a: assignments },
    request: { a: [request.uuid] },
    courseType: { a: [COURSE_TYPE['verified-audit']] },
    runType: { a: [RUN_TYPE['verified-audit']] },
    programType: { a: ['xseries'] },
    organization: { a: [w.org] },
    course: { a: [w.course.key] },
    run: { a: [w.run.key, w.closed.key] },
    program: { a: [program.uuid] },
    programRecord: { a: [program.uuid.replace(/-/g, ''), sharedUuid] },
    sharedRecord: { a: [sharedUuid] },
    credential: { a: [credential.uuid], deleted: deletedCredential.uuid },
    grade: { a: [String(grade.id ?? grade.uuid)] },
    courseCertificate: { a: [w.closed.key] },
    pathway: { a: [String(pathway.id)], deleted: String(deletedPathway.id) },
    workflow: { a: [provisioned.workflow_uuid] },
  };
  for (const [kind, o] of Object.entries(objects)) {
    if (o.a.some((v) => typeof v !== 'string' || v === '')) {
      throw new Error(`building the world: no ${kind} (${JSON.stringify(o.a)})`);
    }
  }
  return { world: w, objects };
}
