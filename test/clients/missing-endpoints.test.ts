import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, type Persona, personas, type TestApp, testApp } from '../support/app.js';
import { enrolledLearnerWorld } from '../support/enrolled-learner.js';

/**
 * Calls the Open edX portals make that Campus once had no route for (issue 17 §4), replayed as the
 * client sends them — method, path with its trailing slash, query names — asserting the fields the
 * client reads. Each block names the client file it replays.
 */

type World = Awaited<ReturnType<typeof enrolledLearnerWorld>>;

let t: TestApp;
let as: Record<Persona, string | null>;
let w: World;
let catalogUuid: string;
let groupUuid: string;

const get = (url: string, who: string | null) => t.request({ method: 'GET', url, as: who });
const post = (url: string, payload: object, who: string | null) =>
  t.request({ method: 'POST', url, payload, as: who });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as the clients read them
async function ok(res: LightMyRequestResponse, status = 200): Promise<any> {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

beforeAll(async () => {
  t = await testApp();
  as = await personas(t);
  // Learner 101 (learnerA) is a member of A, in one of its groups, and enrolled through a budget.
  w = await enrolledLearnerWorld(t, as);
  catalogUuid = w.catalogUuid;
  groupUuid = (
    await ok(
      await post(
        '/enterprise/api/v1/enterprise-group/',
        { enterprise_customer: ENTERPRISE_A, name: 'Sales' },
        as.adminA,
      ),
      201,
    )
  ).uuid;
  await ok(
    await post(
      `/enterprise/api/v1/enterprise-group/${groupUuid}/assign_learners/`,
      { lms_user_ids: [101] },
      as.adminA,
    ),
  );
});
afterAll(() => t.close());

describe('license and coupon code requests (Campus has neither: answered as for a customer without any)', () => {
  const kinds = [
    { path: 'license-requests', type: 'license' },
    { path: 'coupon-code-requests', type: 'coupon' },
  ] as const;

  // frontend-app-learner-portal-enterprise src/components/app/data/services/subsidies/browseAndRequest.ts
  // (fetchLicenseRequests, fetchCouponCodeRequests): paginated, `next` followed, results read.
  it.each(kinds)("lists no $type requests to the learner portal's loader", async ({ path }) => {
    const q = new URLSearchParams({
      enterprise_customer_uuid: ENTERPRISE_A,
      user__email: 'learner.a@example.com',
      state: 'requested',
    });
    const body = await ok(await get(`/access/api/v1/${path}/?${q}`, as.learnerA));
    expect(body).toMatchObject({ count: 0, next: null, previous: null, results: [] });
  });

  // frontend-app-admin-portal src/data/services/EnterpriseAccessApiService.ts (getLicenseRequests,
  // getCouponCodeRequests, and their *Overview): the manage-requests table reads count and num_pages.
  it.each(kinds)('shows the admin portal an empty $type table and overview', async ({ path }) => {
    const q = new URLSearchParams({ enterprise_customer_uuid: ENTERPRISE_A, page: '1', page_size: '25' });
    q.set('state', 'requested,pending,errored');
    const list = await ok(await get(`/access/api/v1/${path}/?${q}`, as.adminA));
    expect(list).toMatchObject({ count: 0, num_pages: 1, current_page: 1, results: [] });
    const overview = await ok(
      await get(`/access/api/v1/${path}/overview/?enterprise_customer_uuid=${ENTERPRISE_A}`, as.adminA),
    );
    expect(overview).toEqual([]);
  });

  it.each(kinds)('keeps the $type overview to admins and requires the enterprise', async ({ path }) => {
    const learner = await get(
      `/access/api/v1/${path}/overview/?enterprise_customer_uuid=${ENTERPRISE_A}`,
      as.learnerA,
    );
    expect(learner.statusCode).toBe(403);
    const missing = await get(`/access/api/v1/${path}/overview/`, as.adminA);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error_code).toBeTruthy();
    const outsider = await get(`/access/api/v1/${path}/?enterprise_customer_uuid=${ENTERPRISE_A}`, as.adminB);
    expect(outsider.statusCode).toBe(403);
  });

  // frontend-app-learner-portal-enterprise src/components/enterprise-subsidy-requests/data/service.js
  // (postLicenseRequest, postCouponCodeRequest): body {enterprise_customer_uuid, course_id}.
  it.each(kinds)(
    'refuses a learner’s $type request with the reason, in the reference’s order',
    async ({ path, type }) => {
      const ask = () =>
        post(
          `/access/api/v1/${path}/`,
          { enterprise_customer_uuid: ENTERPRISE_A, course_id: w.course.key },
          as.learnerA,
        );
      const none = await ask();
      expect(none.statusCode).toBe(422);
      expect(none.json()).toMatchObject({
        error_code: 'customer_configuration_not_found',
        detail: `Customer configuration for enterprise: ${ENTERPRISE_A} does not exist.`,
      });

      await ok(
        await post(
          '/access/api/v1/customer-configurations/',
          { enterprise_customer_uuid: ENTERPRISE_A, subsidy_requests_enabled: false },
          as.adminA,
        ),
        201,
      );
      expect((await ask()).json().error_code).toBe('subsidy_requests_disabled');
      const patch = (payload: object) =>
        t.request({
          method: 'PATCH',
          url: `/access/api/v1/customer-configurations/${ENTERPRISE_A}/`,
          payload,
          as: as.adminA,
        });
      await ok(await patch({ subsidy_requests_enabled: true, subsidy_type: null }));
      expect((await ask()).json().error_code).toBe('subsidy_type_not_set');
      const other = type === 'license' ? 'coupon' : 'license';
      await ok(await patch({ subsidy_type: other }));
      expect((await ask()).json()).toMatchObject({
        error_code: 'subsidy_type_mismatch',
        detail: `Subsidy request type must be ${other}`,
      });
      await ok(await patch({ subsidy_type: type }));
      const refused = await ask();
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error_code).toBe(`${type}_requests_unsupported`);
      // Back to no configuration for the next kind.
      await t.db.kysely.deleteFrom('request_customer_configurations').execute();
    },
  );

  // frontend-app-admin-portal src/data/services/EnterpriseAccessApiService.ts (approveLicenseRequests,
  // approveCouponCodeRequests, declineLicenseRequests, declineCouponCodeRequests).
  it('answers the admin portal’s approve with the reference’s 422 and decline with no requests', async () => {
    const uuids = [crypto.randomUUID()];
    const license = await post(
      '/access/api/v1/license-requests/approve/',
      {
        subsidy_request_uuids: uuids,
        subscription_plan_uuid: '11111111-1111-4111-8111-111111111111',
        enterprise_customer_uuid: ENTERPRISE_A,
        send_notification: true,
      },
      as.adminA,
    );
    expect(license.statusCode).toBe(422);
    expect(license.json()).toMatchObject({
      error_code: 'not_enough_licenses',
      detail:
        'Not enough licenses available for subscription 11111111-1111-4111-8111-111111111111 to approve the requests',
    });
    const coupon = await post(
      '/access/api/v1/coupon-code-requests/approve/',
      {
        subsidy_request_uuids: uuids,
        coupon_id: 7,
        enterprise_customer_uuid: ENTERPRISE_A,
        send_notification: true,
      },
      as.adminA,
    );
    expect(coupon.statusCode).toBe(422);
    expect(coupon.json().error_code).toBe('not_enough_codes');
    for (const path of ['license-requests', 'coupon-code-requests']) {
      const declined = await post(
        `/access/api/v1/${path}/decline/`,
        {
          subsidy_request_uuids: uuids,
          enterprise_customer_uuid: ENTERPRISE_A,
          send_notification: true,
          unlink_users_from_enterprise: false,
        },
        as.adminA,
      );
      expect(await ok(declined)).toEqual([]);
    }
    const learner = await post(
      '/access/api/v1/license-requests/decline/',
      { subsidy_request_uuids: uuids, enterprise_customer_uuid: ENTERPRISE_A },
      as.learnerA,
    );
    expect(learner.statusCode).toBe(403);
    const empty = await post(
      '/access/api/v1/license-requests/decline/',
      { subsidy_request_uuids: [], enterprise_customer_uuid: ENTERPRISE_A },
      as.adminA,
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error_code).toBeTruthy();
  });
});

// frontend-app-admin-portal src/data/services/EnterpriseAccessApiService.ts (fetchAdminLearnerProfileData),
// read by PeopleManagement/LearnerDetailPage (LearnerAccess: subscriptions.length; CourseEnrollments:
// inProgress/upcoming/completed/savedForLater, each card's displayName, orgName, courseKey,
// courseRunStatus, startDate, enrollBy; LearnerDetailGroupMemberships: groupUuid, groupName, recentAction).
describe('admin-view learner_profile', () => {
  const url = (lmsUserId: number | string = 101) =>
    `/access/api/v1/admin-view/learner_profile/?${new URLSearchParams({
      user_email: 'learner.a@example.com',
      lms_user_id: String(lmsUserId),
      enterprise_customer_uuid: ENTERPRISE_A,
    })}`;

  it("shows an admin the learner's subscriptions (none), groups and enrollments", async () => {
    const body = await ok(await get(url(), as.adminA));
    expect(body.subscriptions).toEqual([]);
    expect(body.group_memberships).toEqual([
      expect.objectContaining({
        group_uuid: groupUuid,
        group_name: 'Sales',
        status: 'accepted',
        lms_user_id: 101,
      }),
    ]);
    expect(body.group_memberships[0].recent_action).toMatch(/^Accepted: \d{4}-\d{2}-\d{2}$/);
    expect(body.enrollments).toMatchObject({ upcoming: [], completed: [], saved_for_later: [] });
    expect(body.enrollments.in_progress).toEqual([
      expect.objectContaining({
        course_key: w.course.key,
        course_run_id: w.run.key,
        course_run_status: 'in_progress',
        display_name: expect.any(String),
        org_name: expect.any(String),
        start_date: '2026-05-20T00:00:00.000Z',
        enroll_by: '2026-11-01T00:00:00.000Z',
        is_enrollment_active: true,
      }),
    ]);
    expect(body.enrollments.in_progress[0].uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers empty lists for someone who is not a learner of the enterprise', async () => {
    const body = await ok(await get(url(201), as.adminA));
    expect(body).toEqual({
      subscriptions: [],
      group_memberships: [],
      enrollments: { in_progress: [], upcoming: [], completed: [], saved_for_later: [] },
    });
  });

  it('is for admins of the enterprise and operators only, and validates its query', async () => {
    expect((await get(url(), as.operator)).statusCode).toBe(200);
    for (const who of [as.learnerA, as.adminB, as.learnerB])
      expect((await get(url(), who)).statusCode).toBe(403);
    expect((await get(url(), null)).statusCode).toBe(401);
    const bad = await get(url('abc'), as.adminA);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error_code).toBeTruthy();
  });
});

describe('enterprise-catalog paths', () => {
  // frontend-app-admin-portal src/data/services/EnterpriseCatalogApiServiceV2.js
  // (retrieveContainsContentItems): one course_run_ids per call; getAssignableCourseRuns reads
  // containsContentItems.
  it('answers v2 contains_content_items for one run key', async () => {
    const q = new URLSearchParams();
    q.append('course_run_ids', w.run.key);
    const inside = await ok(
      await get(
        `/enterprise/api/v2/enterprise-catalogs/${catalogUuid}/contains_content_items/?${q}`,
        as.adminA,
      ),
    );
    expect(inside.contains_content_items).toBe(true);
    const outside = await ok(
      await get(
        `/enterprise/api/v2/enterprise-catalogs/${catalogUuid}/contains_content_items/?course_run_ids=course-v1:Nope+X+1`,
        as.adminA,
      ),
    );
    expect(outside.contains_content_items).toBe(false);
    const none = await get(
      `/enterprise/api/v2/enterprise-catalogs/${catalogUuid}/contains_content_items/`,
      as.adminA,
    );
    expect(none.statusCode).toBe(400);
    expect(none.json().error_code).toBe('missing_content_keys');
    const outsider = await get(
      `/enterprise/api/v2/enterprise-catalogs/${catalogUuid}/contains_content_items/?${q}`,
      as.adminB,
    );
    expect(outsider.statusCode).toBe(404);
  });

  // frontend-app-admin-portal src/data/services/EnterpriseCatalogApiService.js
  // (fetchEnterpriseCatalogMetadata), read by InviteModalPermissions: `count` courses.
  it("answers get_content_metadata with a page of the catalog's content", async () => {
    const body = await ok(
      await get(`/enterprise/api/v1/enterprise-catalogs/${catalogUuid}/get_content_metadata/`, as.adminA),
    );
    expect(body.count).toBe(1);
    expect(body.results).toEqual([
      expect.objectContaining({ content_type: 'course', key: w.course.key, title: expect.any(String) }),
    ]);
    expect(body.next).toBeNull();
    const outsider = await get(
      `/enterprise/api/v1/enterprise-catalogs/${catalogUuid}/get_content_metadata/`,
      as.adminB,
    );
    expect(outsider.statusCode).toBe(404);
    const bad = await get(
      `/enterprise/api/v1/enterprise-catalogs/not-a-uuid/get_content_metadata/`,
      as.adminA,
    );
    expect(bad.statusCode).toBe(400);
  });
});

// frontend-app-learner-portal-enterprise src/components/app/data/services/course.ts (fetchCourseReviews),
// loaded by safeEnsureQueryDataCourseReviews: a 404 falls back to null (not logged) and
// CourseReview.jsx renders nothing; a 200 would render its numbers.
describe('discovery course_review', () => {
  it('answers 404 course_review_not_found for a known course: Campus has no survey reviews', async () => {
    const res = await get(`/catalog/api/v1/course_review/${w.course.key}/`, as.learnerA);
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('course_review_not_found');
  });

  it('answers 404 course_not_found for an unknown course, and 401 without a token', async () => {
    const res = await get('/catalog/api/v1/course_review/Nope+X/', as.learnerA);
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('course_not_found');
    expect((await get(`/catalog/api/v1/course_review/${w.course.key}/`, null)).statusCode).toBe(401);
  });
});

// frontend-app-learner-portal-enterprise src/components/app/data/services/course.ts
// (fetchCourseRecommendations): both lists empty is its "no recommendations" case, and the course
// page hides the section. Found missing (404) running the built portal.
describe('discovery taxonomy course_recommendations', () => {
  it('answers empty lists for a known course and 404 for an unknown one', async () => {
    const body = await ok(
      await get(`/catalog/taxonomy/api/v1/course_recommendations/${w.course.key}/`, as.learnerA),
    );
    expect(body).toMatchObject({ all_recommendations: [], same_partner_recommendations: [] });
    const unknown = await get('/catalog/taxonomy/api/v1/course_recommendations/Nope+X/', as.learnerA);
    expect(unknown.statusCode).toBe(404);
  });
});

// Content highlights and academies, which Campus does not curate: each portal reads an empty
// answer as "nothing to show". Found missing (404 on every page) running both built portals.
describe('enterprise-catalog highlights and academies', () => {
  const A = ENTERPRISE_A;

  it('gives the learner portal no curation, no highlight sets and no academies (services/contentHighlights.ts, academies.ts)', async () => {
    // fetchEnterpriseCuration: data.results[0] ?? null
    const curation = await ok(
      await get(`/enterprise/api/v1/enterprise-curations/?enterprise_customer=${A}`, as.learnerA),
    );
    expect(curation.results).toEqual([]);
    // fetchContentHighlights and fetchAcademies: fetchPaginatedData reads results and next.
    for (const url of [
      `/enterprise/api/v1/highlight-sets/?enterprise_customer=${A}&page_size=16&lang=en`,
      `/enterprise/api/v1/academies?enterprise_customer=${A}&lang=en`,
    ]) {
      const page = await ok(await get(url, as.learnerA));
      expect(page).toMatchObject({ results: [], next: null, count: 0 });
    }
    // Another enterprise's learner learns nothing about A.
    const outsider = await get(`/enterprise/api/v1/academies?enterprise_customer=${A}&lang=en`, as.learnerB);
    expect(outsider.statusCode).toBe(403);
  });

  it('gives the admin portal no curation and refuses to create one (useEnterpriseCuration.js)', async () => {
    // getEnterpriseCuration: formattedResponse.results[0]
    const list = await ok(
      await get(`/enterprise/api/v1/enterprise-curations-admin/?enterprise_customer=${A}`, as.adminA),
    );
    expect(list.results).toEqual([]);
    // createEnterpriseCurationConfig(enterpriseId, {title}): enterprise-catalog's body.
    const created = await post(
      '/enterprise/api/v1/enterprise-curations-admin/',
      { enterprise_customer: A, title: 'Highlights' },
      as.adminA,
    );
    expect(created.statusCode).toBe(422);
    expect(created.json().error_code).toBe('content_highlights_not_supported');
    expect(
      (await get(`/enterprise/api/v1/enterprise-curations-admin/?enterprise_customer=${A}`, as.learnerA))
        .statusCode,
    ).toBe(403);
  });
});
