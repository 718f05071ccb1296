import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { type As, createEnterprises, ok } from './fixtures.js';

const api = '/enterprise/api/v1';

describe('enterprise customers, learners and memberships', () => {
  let t: TestApp;
  let as: As;

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    await createEnterprises(t, as);
  });
  afterAll(() => t.close());

  describe('customers', () => {
    it('lets operators create, read, update and delete a customer', async () => {
      const created = await ok(t, as.operator, 'POST', `${api}/enterprise-customer/`, {
        name: 'Temp',
        slug: 'temp',
        country: 'US',
        contact_email: 'boss@temp.example.com',
        enable_data_sharing_consent: true,
      });
      expect(created).toMatchObject({
        name: 'Temp',
        slug: 'temp',
        active: true,
        country: 'US',
        auth_org_id: null,
        enable_data_sharing_consent: true,
      });
      const url = `${api}/enterprise-customer/${created.uuid}/`;
      expect(await ok(t, as.staff, 'GET', url)).toEqual(created);
      const updated = await ok(t, as.operator, 'PATCH', url, { active: false, auth_org_id: 'org_1' });
      expect(updated).toMatchObject({ active: false, auth_org_id: 'org_1', slug: 'temp' });
      await ok(t, as.operator, 'DELETE', url, undefined, 204);
      expect((await t.request({ method: 'GET', url, as: as.operator })).json().error_code).toBe(
        'enterprise_customer_not_found',
      );
    });

    it('refuses a second customer with the same slug with 409 slug_taken', async () => {
      const res = await t.request({
        method: 'POST',
        url: `${api}/enterprise-customer/`,
        payload: { name: 'Again', slug: 'enterprise-a' },
        as: as.operator,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('slug_taken');
    });

    it('refuses writes to admins and learners, and unknown body fields', async () => {
      for (const who of [as.adminA, as.learnerA]) {
        const res = await t.request({
          method: 'PATCH',
          url: `${api}/enterprise-customer/${ENTERPRISE_A}/`,
          payload: { name: 'Mine' },
          as: who,
        });
        expect(res.statusCode).toBe(403);
      }
      const res = await t.request({
        method: 'POST',
        url: `${api}/enterprise-customer/`,
        payload: { name: 'X', slug: 'x', colour: 'red' },
        as: as.operator,
      });
      expect(res.statusCode).toBe(400);
    });

    it('scopes the list to what the caller may see', async () => {
      const slugs = async (who: string | null) =>
        (await ok(t, who, 'GET', `${api}/enterprise-customer/`)).results.map((c: { slug: string }) => c.slug);
      expect(await slugs(as.adminA)).toEqual(['enterprise-a']);
      expect(await slugs(as.learnerB)).toEqual(['enterprise-b']);
      expect(await slugs(as.catalogAdmin)).toEqual([]);
      expect(await slugs(as.operator)).toEqual(['enterprise-a', 'enterprise-b']);
    });

    it('finds a customer by slug on the server, within what the caller may see', async () => {
      // More customers than a page holds, all named before the one looked for: the web pages
      // filtered one page of 100 in the browser and could not open the 101st.
      for (let i = 0; i < 101; i++) {
        await ok(t, as.operator, 'POST', `${api}/enterprise-customer/`, {
          name: `AAA ${String(i).padStart(3, '0')}`,
          slug: `aaa-${i}`,
        });
      }
      const bySlug = async (who: string | null, slug: string) =>
        ok(t, who, 'GET', `${api}/enterprise-customer/?slug=${slug}`);
      expect(await bySlug(as.operator, 'enterprise-b')).toMatchObject({
        count: 1,
        results: [{ uuid: ENTERPRISE_B, slug: 'enterprise-b' }],
      });
      expect(await bySlug(as.adminA, 'enterprise-a')).toMatchObject({
        count: 1,
        results: [{ uuid: ENTERPRISE_A }],
      });
      // Another enterprise's slug finds nothing for an admin of A.
      expect(await bySlug(as.adminA, 'enterprise-b')).toMatchObject({ count: 0, results: [] });
      expect(await bySlug(as.operator, 'no-such-slug')).toMatchObject({ count: 0, results: [] });
    });

    it('answers 401 to anonymous callers and 403 to another enterprise', async () => {
      const url = `${api}/enterprise-customer/${ENTERPRISE_A}/`;
      expect((await t.request({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url, as: as.adminB })).statusCode).toBe(403);
      expect((await t.request({ method: 'GET', url, as: as.learnerA })).statusCode).toBe(200);
    });
  });

  describe('learners', () => {
    const learners = `${api}/enterprise-customer/${ENTERPRISE_A}/learners/`;

    it('lets an operator add a learner by id and an admin list the active learners', async () => {
      const added = await ok(t, as.operator, 'POST', learners, {
        lms_user_id: 3001,
        username: 'ada',
        email: 'ada@example.com',
      });
      expect(added).toEqual({
        lms_user_id: 3001,
        username: 'ada',
        email: 'ada@example.com',
        active: true,
        linked: '2026-06-01T12:00:00.000Z',
      });
      const page = await ok(t, as.adminA, 'GET', learners);
      expect(page.results.map((l: { lms_user_id: number }) => l.lms_user_id)).toContain(3001);
    });

    it('invites by email: a member of the enterprise is linked at once, an unknown email waits', async () => {
      const res = await ok(t, as.adminA, 'POST', learners, {
        emails: ['ADA@example.com', 'grace@example.com'],
      });
      expect(res.linked.map((l: { lms_user_id: number }) => l.lms_user_id)).toEqual([3001]);
      expect(res.pending).toEqual(['grace@example.com']);
    });

    it('links a pending membership when the learner is created, and the learner then reads it', async () => {
      // The operator registers Grace in enterprise B: her invitation to A is linked too.
      await ok(t, as.operator, 'POST', `${api}/enterprise-customer/${ENTERPRISE_B}/learners/`, {
        lms_user_id: 3002,
        username: 'grace',
        email: 'Grace@example.com',
      });
      const grace = await t.token({ userId: 3002, email: 'grace@example.com' });
      const mine = await ok(t, grace, 'GET', `${api}/memberships/`);
      expect(
        mine.results.map((m: { enterprise_customer: { slug: string } }) => m.enterprise_customer.slug),
      ).toEqual(['enterprise-a', 'enterprise-b']);
      // A member without a role claim reads the customers she belongs to.
      const list = await ok(t, grace, 'GET', `${api}/enterprise-customer/`);
      expect(list.count).toBe(2);
      expect((await t.request({ method: 'GET', url: `${learners}`, as: grace })).statusCode).toBe(403);
    });

    it('links an invitation on the first request of the invited person (their token is remembered)', async () => {
      await ok(t, as.adminA, 'POST', learners, { emails: ['hopper@example.com'] });
      const hopper = await t.token({ userId: 3003, username: 'hopper', email: 'Hopper@example.com' });
      const mine = await ok(t, hopper, 'GET', `${api}/memberships/`);
      expect(mine.results).toEqual([
        {
          enterprise_customer: { uuid: ENTERPRISE_A, name: 'ENTERPRISE-A', slug: 'enterprise-a' },
          active: true,
          linked: '2026-06-01T12:00:00.000Z',
        },
      ]);
      const page = await ok(t, as.adminA, 'GET', `${learners}?page_size=100`);
      expect(page.results).toContainEqual(expect.objectContaining({ lms_user_id: 3003, username: 'hopper' }));
    });

    it('deactivates a membership on DELETE and reactivates it when the learner is added again', async () => {
      await ok(t, as.adminA, 'DELETE', `${learners}3001/`, undefined, 204);
      const page = await ok(t, as.adminA, 'GET', learners);
      expect(page.results.map((l: { lms_user_id: number }) => l.lms_user_id)).not.toContain(3001);
      const again = await t.request({ method: 'DELETE', url: `${learners}3001/`, as: as.adminA });
      expect(again.statusCode).toBe(404);
      expect(again.json().error_code).toBe('membership_not_found');
      const ada = await t.token({ userId: 3001, email: 'ada@example.com' });
      const mine = await ok(t, ada, 'GET', `${api}/memberships/`);
      expect(mine.results).toEqual([
        expect.objectContaining({
          active: false,
          enterprise_customer: expect.objectContaining({ slug: 'enterprise-a' }),
        }),
      ]);
      await ok(t, as.adminA, 'POST', learners, {
        lms_user_id: 3001,
        username: 'ada',
        email: 'ada@example.com',
      });
      expect((await ok(t, ada, 'GET', `${api}/memberships/`)).results[0].active).toBe(true);
    });

    it("refuses an admin's link by lms_user_id of anyone not already a member, the same way for an unknown id", async () => {
      await ok(t, as.operator, 'POST', `${api}/enterprise-customer/${ENTERPRISE_B}/learners/`, {
        lms_user_id: 3500,
        username: 'bea',
        email: 'bea@b.example',
      });
      const link = (id: number) =>
        t.request({
          method: 'POST',
          url: learners,
          payload: { lms_user_id: id, username: 'x', email: 'x@a.example' },
          as: as.adminA,
        });
      const [known, unknown] = [await link(3500), await link(99_999)];
      expect(known.statusCode).toBe(403);
      expect(known.json()).toEqual(unknown.json());
      expect(known.json().error_code).toBe('direct_link_operators_only');
      expect(known.body).not.toContain('bea');
      const bea = await t.token({ userId: 3500, username: 'bea', email: 'bea@b.example' });
      const mine = await ok(t, bea, 'GET', `${api}/memberships/`);
      expect(
        mine.results.map((m: { enterprise_customer: { slug: string } }) => m.enterprise_customer.slug),
      ).toEqual(['enterprise-b']);
    });

    it("invites another enterprise's learner by email as pending, answering as for an unknown address; they join when they sign in", async () => {
      await ok(t, as.operator, 'POST', `${api}/enterprise-customer/${ENTERPRISE_B}/learners/`, {
        lms_user_id: 3501,
        username: 'bo',
        email: 'bo@b.example',
      });
      const bo = await t.token({ userId: 3501, username: 'bo', email: 'bo@b.example' });
      // Bo has been seen (and remembered) before the invitation.
      await ok(t, bo, 'GET', `${api}/memberships/`);
      const toBo = await ok(t, as.adminA, 'POST', learners, { emails: ['Bo@b.example'] });
      const toNobody = await ok(t, as.adminA, 'POST', learners, { emails: ['nobody@b.example'] });
      expect(toBo).toEqual({ linked: [], pending: ['bo@b.example'] });
      expect(toNobody).toEqual({ linked: [], pending: ['nobody@b.example'] });
      const page = await ok(t, as.adminA, 'GET', `${learners}?page_size=100`);
      expect(page.results.map((l: { lms_user_id: number }) => l.lms_user_id)).not.toContain(3501);
      // Bo's next request takes the invitation up.
      const mine = await ok(t, bo, 'GET', `${api}/memberships/`);
      expect(
        mine.results.map((m: { enterprise_customer: { slug: string }; active: boolean }) => [
          m.enterprise_customer.slug,
          m.active,
        ]),
      ).toEqual([
        ['enterprise-a', true],
        ['enterprise-b', true],
      ]);
    });

    it("keeps another enterprise's admin and learners out", async () => {
      expect((await t.request({ method: 'GET', url: learners, as: as.adminB })).statusCode).toBe(403);
      expect((await t.request({ method: 'GET', url: learners, as: as.learnerA })).statusCode).toBe(403);
      const post = await t.request({
        method: 'POST',
        url: learners,
        payload: { emails: ['x@example.com'] },
        as: as.adminB,
      });
      expect(post.statusCode).toBe(403);
      expect((await t.request({ method: 'GET', url: learners })).statusCode).toBe(401);
    });

    it('answers 400 to a body that is neither a learner nor a list of emails', async () => {
      const res = await t.request({
        method: 'POST',
        url: learners,
        payload: { lms_user_id: 1, emails: ['a@example.com'] },
        as: as.adminA,
      });
      expect(res.statusCode).toBe(400);
    });
  });

  it('documents every enterprise route in /openapi.json', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/enterprise/'));
    expect(paths.length).toBeGreaterThanOrEqual(14);
  });
});
