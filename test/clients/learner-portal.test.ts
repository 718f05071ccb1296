import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentsWorld } from '../../src/modules/assignments/test/fixtures.js';
import { requestsWorld } from '../../src/modules/requests/test/fixtures.js';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../support/app.js';
import { subsidyWorld } from '../support/worlds.js';

/**
 * The learner portal (openedx/frontend-app-learner-portal-enterprise) replayed against Campus:
 * each call as the client sends it, each field its code reads asserted.
 */

type Personas = Awaited<ReturnType<typeof personas>>;

describe('learner portal: the course page (src/components/app/data/services/course.ts, CoursePage.jsx)', () => {
  let t: TestApp;
  let as: Personas;
  let w: Awaited<ReturnType<typeof subsidyWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await subsidyWorld(t, as.staff);
    // Published runs are the marketable ones: the open run and the one whose enrollment closed.
    for (const key of [w.run.key, w.closed.key]) {
      const res = await t.request({
        method: 'PATCH',
        url: `/catalog/api/v1/course_runs/${encodeURIComponent(key)}/`,
        payload: { status: 'published' },
        as: as.staff,
      });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(() => t.close());

  // fetchCourseMetadata: GET {DISCOVERY}/api/v1/courses/{courseKey}/?include_restricted=custom-b2b-enterprise
  const fetchCourseMetadata = (courseKey: string) =>
    t.request({
      method: 'GET',
      url: `/catalog/api/v1/courses/${courseKey}/?include_restricted=custom-b2b-enterprise`,
      as: as.learnerA,
    });

  it('names an advertised run among course_runs, else the page is Not Found (getActiveCourseRun)', async () => {
    const res = await fetchCourseMetadata(w.course.key);
    expect(res.statusCode).toBe(200);
    const course = res.json();
    expect(course.title).toEqual(expect.any(String));
    // getActiveCourseRun: course.courseRuns.find(run => run.uuid === course.advertisedCourseRunUuid)
    const active = course.course_runs.find(
      (r: { uuid: string }) => r.uuid === course.advertised_course_run_uuid,
    );
    expect(active?.key).toBe(w.run.key);
    // standardAvailableCourseRunsFilter and isArchived read these on every run.
    for (const r of course.course_runs) {
      expect(r).toEqual(
        expect.objectContaining({
          key: expect.any(String),
          uuid: expect.any(String),
          is_marketable: expect.any(Boolean),
          is_enrollable: expect.any(Boolean),
          availability: expect.stringMatching(/^(Archived|Current|Starting Soon|Upcoming)$/),
          seats: expect.any(Array),
        }),
      );
    }
    expect(active).toMatchObject({ is_marketable: true, is_enrollable: true, availability: 'Current' });
    const closed = course.course_runs.find((r: { key: string }) => r.key === w.closed.key);
    expect(closed).toMatchObject({ is_marketable: true, is_enrollable: false, availability: 'Archived' });
    // findHighestLevelEntitlementSku reads entitlements[].{mode, sku}.
    expect(course.entitlements).toEqual(expect.any(Array));
  });

  it('gives the lists the page reads without a guard, or it crashes (CourseSkills, CourseSidebar, CreatedBy)', async () => {
    // Found by running the built portal: each missing list alone threw "reading 'length'".
    const program = await t.request({
      method: 'POST',
      url: '/catalog/api/v1/programs/',
      payload: { title: 'Data XSeries', type: 'xseries', courses: [w.course.key], status: 'active' },
      as: as.staff,
    });
    expect(program.statusCode).toBe(201);
    const course = (await fetchCourseMetadata(w.course.key)).json();
    // CourseSkills.jsx: courseMetadata.skills.length
    expect(course.skills).toEqual([]);
    // CourseSidebar.jsx: courseMetadata.programs.length; CourseAssociatedPrograms maps {uuid, title, type}.
    expect(course.programs).toEqual([
      expect.objectContaining({ uuid: program.json().uuid, title: 'Data XSeries', type: 'XSeries' }),
    ]);
    // CourseMainContent.jsx: courseMetadata.sponsors?.length
    expect(course.sponsors).toEqual([]);
    // useCoursePartners (hooks.jsx): owners[] with name, logoImageUrl, marketingUrl.
    expect(course.owners[0]).toEqual(
      expect.objectContaining({ name: expect.any(String), logo_image_url: null, marketing_url: null }),
    );
    for (const r of course.course_runs) {
      // CreatedBy.jsx: activeCourseRun?.staff.length, then .map
      expect(r.staff).toEqual([]);
      // useCourseRunCardSubHeading.js: a number ("NaN recently enrolled!" without one)
      expect(r.enrollment_count).toBe(0);
    }
  });
});

describe('learner portal: assigned courses on the dashboard (src/components/app/data/utils.js transformLearnerContentAssignment)', () => {
  let t: TestApp;
  let as: Personas;
  let w: Awaited<ReturnType<typeof assignmentsWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await assignmentsWorld(t, as.staff);
    const { policy } = await w.assignedPolicy(1_000_000);
    const res = await t.request({
      method: 'POST',
      url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
      payload: {
        learner_emails: ['learner.a@example.com'],
        content_key: w.run.key,
        content_price_cents: 10_000,
      },
      as: as.staff,
    });
    expect(res.statusCode).toBe(202);
  });
  afterAll(() => t.close());

  it('gives each assignment in credits_available its content_metadata: dates, course type, partners', async () => {
    // fetchRedeemablePolicies: both query names always sent, no paging.
    const res = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=101`,
      as: as.learnerA,
    });
    expect(res.statusCode).toBe(200);
    const [policy] = res.json();
    expect(policy.policy_type).toBe('AssignedLearnerCreditAccessPolicy');
    const [assignment] = policy.learner_content_assignments;
    expect(assignment).toMatchObject({
      uuid: expect.any(String),
      state: 'allocated',
      content_key: w.run.key,
      parent_content_key: w.course.key,
      is_assigned_course_run: true,
      content_title: expect.any(String),
      assignment_configuration: expect.any(String),
      learner_acknowledged: false,
      earliest_possible_expiration: { date: expect.any(String) },
    });
    // contentMetadata?.endDate, .startDate, .courseType, .partners[0]?.name
    expect(assignment.content_metadata).toMatchObject({
      start_date: '2026-05-20T00:00:00.000Z',
      end_date: '2026-12-15T00:00:00.000Z',
      enroll_by_date: '2026-11-01T00:00:00.000Z',
      content_price: 100,
      course_type: 'verified-audit',
      partners: [{ name: `${w.org} University`, logo_image_url: null }],
    });
  });

  it("shows the same content_metadata in the learner's own assignment list", async () => {
    const [policy] = (
      await t.request({
        method: 'GET',
        url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=101`,
        as: as.learnerA,
      })
    ).json();
    const config = policy.learner_content_assignments[0].assignment_configuration;
    const res = await t.request({
      method: 'GET',
      url: `/access/api/v1/assignment-configurations/${config}/assignments/`,
      as: as.learnerA,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0].content_metadata).toMatchObject({
      course_type: 'verified-audit',
      partners: [{ name: `${w.org} University` }],
    });
  });
});

describe('learner portal: requested courses on the dashboard (src/components/app/data/utils.js transformLearnerCreditRequest)', () => {
  let t: TestApp;
  let as: Personas;
  let w: Awaited<ReturnType<typeof requestsWorld>>;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    w = await requestsWorld(t, as);
    const asked = await w.ask(as.learnerA);
    expect(asked.statusCode).toBe(201);
  });
  afterAll(() => t.close());

  it("names the course's partners in learner_requests[].course_partners", async () => {
    const res = await t.request({
      method: 'GET',
      url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${ENTERPRISE_A}&lms_user_id=101`,
      as: as.learnerA,
    });
    expect(res.statusCode).toBe(200);
    const policy = res.json().find((p: { uuid: string }) => p.uuid === w.policy.uuid);
    const [request] = policy.learner_requests;
    // uuid, courseTitle, courseId, coursePartners?.[0]?.name, startDate (optional), state, assignment
    expect(request).toMatchObject({
      uuid: expect.any(String),
      course_id: w.course.key,
      course_title: expect.any(String),
      state: 'requested',
      assignment: null,
      course_partners: [{ name: `${w.org} University`, logo_image_url: null }],
    });
  });

  it('names them in the learner-credit-requests list too (useBrowseAndRequest, paginated)', async () => {
    const res = await t.request({
      method: 'GET',
      url: `/access/api/v1/learner-credit-requests/?enterprise_customer_uuid=${ENTERPRISE_A}&user__email=learner.a%40example.com`,
      as: as.learnerA,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0].course_partners[0].name).toBe(`${w.org} University`);
  });
});
