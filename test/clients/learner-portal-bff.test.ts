import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardResponse, learnerBaseResponse } from '../../src/modules/bff/bff.schemas.js';
import { ADMIN_ROLES, client } from '../../src/modules/credentials/test/fixtures.js';
import { add as addAdmins } from '../../src/modules/enterprise/admins.repository.js';
import { ENTERPRISE_A, ENTERPRISE_B, type Persona, personas, type TestApp, testApp } from '../support/app.js';
import { enrolledLearnerWorld } from '../support/enrolled-learner.js';

/**
 * The learner portal's BFF calls (issue 17 §2), replayed as
 * frontend-app-learner-portal-enterprise src/components/app/data/services/bffs.ts (makeBFFRequest)
 * sends them: POST, trailing slash, body `{enterprise_customer_slug}`. Each assertion names the
 * client file that reads the field.
 */

type World = Awaited<ReturnType<typeof enrolledLearnerWorld>>;
let t: TestApp;
let as: Record<Persona, string | null>;
let w: World;

const post = (url: string, payload: object, who: string | null) =>
  t.request({ method: 'POST', url, payload, as: who });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as the client reads them
async function ok(res: LightMyRequestResponse, status = 200): Promise<any> {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

const bff = (page: string) => `/access/api/v1/bffs/learner/${page}/`;

beforeAll(async () => {
  t = await testApp();
  as = await personas(t);
  w = await enrolledLearnerWorld(t, as);
});
afterAll(() => t.close());

describe('learner dashboard BFF', () => {
  it('gives the learner of A the customer, memberships and enrollments the loaders read', async () => {
    const body = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, as.learnerA));
    expect(dashboardResponse.safeParse(body).success).toBe(true);
    // app/data/queries/utils.ts (getEnterpriseLearnerQueryData) and app/routes/data/utils.js
    // (ensureActiveEnterpriseCustomerUser): customer, active customer, linked users, staff customer, flag.
    expect(body.enterprise_customer).toMatchObject({
      uuid: ENTERPRISE_A,
      slug: 'acme',
      enable_learner_portal: true,
    });
    expect(body.active_enterprise_customer.slug).toBe('acme');
    expect(body.staff_enterprise_customer).toBeNull();
    expect(body.should_update_active_enterprise_customer_user).toBe(false);
    expect(body.all_linked_enterprise_customer_users).toEqual([
      expect.objectContaining({
        active: true,
        enterprise_customer: expect.objectContaining({ slug: 'acme' }),
      }),
    ]);
    expect(body.enterprise_features).toEqual({});
    expect(body.has_bnr_enabled_policy).toBe(false);
    // app/routes/data/utils.js (validateAlgoliaValidUntil) reads algolia.validUntil.
    expect(body.algolia).toEqual({ secured_algolia_api_key: null, valid_until: null });
    // services/bffs.ts keeps catalog_uuids_to_catalog_query_uuids as sent.
    expect(Object.keys(body.catalog_uuids_to_catalog_query_uuids)).toEqual(
      body.enterprise_customer.enterprise_customer_catalogs,
    );
    // app/data/hooks/useSubscriptions.ts reads enterpriseCustomerUserSubsidies.subscriptions.
    expect(body.enterprise_customer_user_subsidies.subscriptions).toMatchObject({
      customer_agreement: null,
      subscription_licenses: [],
      subscription_licenses_by_status: { activated: [], assigned: [], revoked: [] },
    });
    // dashboard/data/dashboardLoader.ts reads enterpriseCourseEnrollments (redirectToSearchPageForNewUser).
    expect(body.enterprise_course_enrollments).toEqual([
      expect.objectContaining({
        course_run_id: w.run.key,
        course_run_status: 'in_progress',
        is_enrollment_active: true,
        mode: 'verified',
        can_unenroll: true,
      }),
    ]);
    expect(body.all_enrollments_by_status.in_progress).toHaveLength(1);
    expect(body.all_enrollments_by_status).toMatchObject({
      upcoming: [],
      completed: [],
      saved_for_later: [],
    });
    // services/bffs.ts (logErrorsAndWarningsFromBFFResponse) reads developer_message of each.
    expect(body.errors).toEqual([]);
    for (const m of body.warnings) expect(typeof m.developer_message).toBe('string');
  });

  it('shows a learner of A asking for B by slug their own customer, as enterprise-access does', async () => {
    const body = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'globex' }, as.learnerA));
    expect(body.enterprise_customer.uuid).toBe(ENTERPRISE_A);
    expect(JSON.stringify(body)).not.toContain(ENTERPRISE_B);
  });

  it('refuses a learner of A naming B by uuid, and a caller with no enterprise at all', async () => {
    const byUuid = await post(bff('dashboard'), { enterprise_customer_uuid: ENTERPRISE_B }, as.learnerA);
    expect(byUuid.statusCode).toBe(403);
    expect(byUuid.json().error_code).toBe('not_enterprise_learner');
    const none = await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, as.learnerB);
    expect(none.statusCode).toBe(403);
  });

  it('shows staff a customer they are not linked to as the staff customer, without enrollments', async () => {
    const body = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'globex' }, as.staff));
    expect(body.staff_enterprise_customer.uuid).toBe(ENTERPRISE_B);
    expect(body.enterprise_customer.uuid).toBe(ENTERPRISE_B);
    expect(body.enterprise_course_enrollments).toEqual([]);
  });

  it("names the customer's admins who have signed in as admin_users (contact your administrator)", async () => {
    // An admin invited by email (provisioning's pending_admins) who then signed in.
    await t.request({ method: 'GET', url: '/api/v1/me/', as: as.adminA });
    await addAdmins(t.db.kysely, [ENTERPRISE_A], 102, t.clock.now());
    const body = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, as.learnerA));
    expect(body.enterprise_customer.admin_users).toEqual([
      { email: 'admin.a@example.com', lms_user_id: 102 },
    ]);
  });

  it('asks for a token (401)', async () => {
    const res = await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, null);
    expect(res.statusCode).toBe(401);
  });
});

describe.each(['search', 'academy', 'skills-quiz'])('learner %s BFF', (page) => {
  it('gives the shared context the root loader reads', async () => {
    const body = await ok(await post(bff(page), { enterprise_customer_slug: 'acme' }, as.learnerA));
    expect(learnerBaseResponse.strict().safeParse(body).success).toBe(true);
    expect(body.enterprise_customer.slug).toBe('acme');
    expect(body.all_linked_enterprise_customer_users).toHaveLength(1);
  });

  it('refuses the anonymous (401)', async () => {
    expect((await post(bff(page), { enterprise_customer_slug: 'acme' }, null)).statusCode).toBe(401);
  });
});

describe('learner dashboard BFF: the course cards (dashboard/main-content/course-enrollments/course-cards)', () => {
  it('links a card to the learning app, says its pacing, and completes it on a passing certificate', async () => {
    const patched = await t.request({
      method: 'PATCH',
      url: `/catalog/api/v1/course_runs/${encodeURIComponent(w.run.key)}/`,
      payload: { pacing_type: 'self_paced' },
      as: as.staff,
    });
    expect(patched.statusCode).toBe(200);
    const before = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, as.learnerA));
    const [card] = before.enterprise_course_enrollments;
    // ContinueLearningButton.jsx and BaseCourseCard.jsx use link_to_course as the href, as it is:
    // a relative path would open the portal's own origin. Absolute, where courseware_url points.
    expect(card.link_to_course).toBe(`${t.app.campus.config.learningMfeUrl}/course/${w.run.key}/home`);
    // BaseCourseCard.jsx: "This course is self-paced" from pacing, the run's own.
    expect(card.pacing).toBe('self');

    const registrar = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    await registrar.cert('user101', w.run.key, {}, 101);
    const after = await ok(await post(bff('dashboard'), { enterprise_customer_slug: 'acme' }, as.learnerA));
    // The LMS's course_run_status is completed on a passing certificate, before the run ends.
    expect(after.all_enrollments_by_status.in_progress).toEqual([]);
    expect(after.all_enrollments_by_status.completed).toEqual([
      expect.objectContaining({
        course_run_id: w.run.key,
        course_run_status: 'completed',
        can_unenroll: false,
      }),
    ]);
  });
});
