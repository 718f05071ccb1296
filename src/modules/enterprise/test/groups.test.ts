import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { groupsOfLearner, isActiveMember, isGroupMember, rememberUser } from '../index.js';
import { type As, createEnterprises, ok } from './fixtures.js';

const api = '/enterprise/api/v1';

describe('enterprise groups', () => {
  let t: TestApp;
  let as: As;
  let group: string;

  const memberIds = async (uuid: string) =>
    (await ok(t, as.adminA, 'GET', `${api}/enterprise-group/${uuid}/learners/`)).results.map(
      (m: { lms_user_id: number | null; email: string | null; pending: boolean }) =>
        m.pending ? m.email : m.lms_user_id,
    );

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    await createEnterprises(t, as);
    const learners = `${api}/enterprise-customer/${ENTERPRISE_A}/learners/`;
    for (const [id, name] of [
      [4001, 'ann'],
      [4002, 'bob'],
    ] as const) {
      await ok(t, as.operator, 'POST', learners, {
        lms_user_id: id,
        username: name,
        email: `${name}@example.com`,
      });
    }
    await ok(t, as.operator, 'POST', `${api}/enterprise-customer/${ENTERPRISE_B}/learners/`, {
      lms_user_id: 4003,
      username: 'cat',
      email: 'cat@example.com',
    });
    group = (
      await ok(t, as.adminA, 'POST', `${api}/enterprise-group/`, {
        enterprise_customer: ENTERPRISE_A,
        name: 'Sales',
      })
    ).uuid;
  });
  afterAll(() => t.close());

  it('lets admins of the enterprise create, read, rename and list groups', async () => {
    const url = `${api}/enterprise-group/${group}/`;
    expect(await ok(t, as.adminA, 'GET', url)).toMatchObject({
      enterprise_customer: ENTERPRISE_A,
      name: 'Sales',
    });
    const renamed = await ok(t, as.adminA, 'PATCH', url, { name: 'Sales team' });
    expect(renamed.name).toBe('Sales team');
    const list = await ok(
      t,
      as.operator,
      'GET',
      `${api}/enterprise-group/?enterprise_customer=${ENTERPRISE_A}`,
    );
    expect(list.results.map((g: { uuid: string }) => g.uuid)).toEqual([group]);
    expect((await ok(t, as.adminB, 'GET', `${api}/enterprise-group/`)).results).toEqual([]);
    const dup = await t.request({
      method: 'POST',
      url: `${api}/enterprise-group/`,
      payload: { enterprise_customer: ENTERPRISE_A, name: 'Sales team' },
      as: as.adminA,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error_code).toBe('enterprise_group_exists');
  });

  it('keeps other enterprises, learners and anonymous callers out', async () => {
    const url = `${api}/enterprise-group/${group}/`;
    expect((await t.request({ method: 'GET', url, as: as.adminB })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url, as: as.learnerA })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url })).statusCode).toBe(401);
    const create = await t.request({
      method: 'POST',
      url: `${api}/enterprise-group/`,
      payload: { enterprise_customer: ENTERPRISE_A, name: 'Mine' },
      as: as.adminB,
    });
    expect(create.statusCode).toBe(403);
    const assign = await t.request({
      method: 'POST',
      url: `${url}assign_learners/`,
      payload: { lms_user_ids: [4003] },
      as: as.adminB,
    });
    expect(assign.statusCode).toBe(404);
  });

  it('assigns members by id and by email, pending for unknown emails', async () => {
    const res = await ok(
      t,
      as.adminA,
      'POST',
      `${api}/enterprise-group/${group}/assign_learners/`,
      { lms_user_ids: [4001], learner_emails: ['BOB@example.com', 'dan@example.com'] },
      200,
    );
    expect(res).toEqual({ added: [4001, 4002], pending: ['dan@example.com'] });
    expect(await memberIds(group)).toEqual([4001, 4002, 'dan@example.com']);
    expect(await isGroupMember(t.db.kysely, group, 4001)).toBe(true);
    expect(await isGroupMember(t.db.kysely, group, 4003)).toBe(false);
    expect((await groupsOfLearner(t.db.kysely, ENTERPRISE_A, 4002)).map((g) => g.uuid)).toEqual([group]);
  });

  it('refuses ids of learners who are not members of the enterprise with 422 learners_not_members', async () => {
    const res = await t.request({
      method: 'POST',
      url: `${api}/enterprise-group/${group}/assign_learners/`,
      payload: { lms_user_ids: [4003] },
      as: as.adminA,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error_code: 'learners_not_members', lms_user_ids: [4003] });
    const empty = await t.request({
      method: 'POST',
      url: `${api}/enterprise-group/${group}/assign_learners/`,
      payload: {},
      as: as.adminA,
    });
    expect(empty.statusCode).toBe(400);
  });

  it("makes another enterprise's learner named by email only a pending group member, never an active one", async () => {
    const other = (
      await ok(t, as.operator, 'POST', `${api}/enterprise-group/`, {
        enterprise_customer: ENTERPRISE_A,
        name: 'Other',
      })
    ).uuid;
    const res = await ok(
      t,
      as.adminA,
      'POST',
      `${api}/enterprise-group/${other}/assign_learners/`,
      { learner_emails: ['Cat@example.com'] },
      200,
    );
    expect(res).toEqual({ added: [], pending: ['cat@example.com'] });
    expect(await isGroupMember(t.db.kysely, other, 4003)).toBe(false);
    expect(await isActiveMember(t.db.kysely, ENTERPRISE_A, 4003)).toBe(false);
    const page = await ok(t, as.adminA, 'GET', `${api}/enterprise-group/${other}/learners/`);
    expect(page.results).toEqual([
      expect.objectContaining({ lms_user_id: null, username: null, pending: true }),
    ]);
    // Removing by that email names nobody's account either.
    const removed = await ok(
      t,
      as.adminA,
      'POST',
      `${api}/enterprise-group/${other}/remove_learners/`,
      { learner_emails: ['cat@example.com'] },
      200,
    );
    expect(removed).toEqual({ removed: [], pending_removed: ['cat@example.com'] });
    await ok(t, as.operator, 'DELETE', `${api}/enterprise-group/${other}/`, undefined, 204);
  });

  it('links a pending group member (and enterprise membership) when the person appears', async () => {
    await rememberUser(t.app.campus, {
      lmsUserId: 4004,
      username: 'dan',
      email: 'Dan@Example.com',
      isStaff: false,
      grants: [],
    });
    expect(await isGroupMember(t.db.kysely, group, 4004)).toBe(true);
    expect(await memberIds(group)).toEqual([4001, 4002, 4004]);
  });

  it('removes members by id and by email', async () => {
    await ok(
      t,
      as.adminA,
      'POST',
      `${api}/enterprise-group/${group}/assign_learners/`,
      { learner_emails: ['eve@example.com'] },
      200,
    );
    const res = await ok(
      t,
      as.adminA,
      'POST',
      `${api}/enterprise-group/${group}/remove_learners/`,
      { lms_user_ids: [4001], learner_emails: ['bob@example.com', 'eve@example.com'] },
      200,
    );
    expect(res.removed.sort()).toEqual([4001, 4002]);
    expect(await memberIds(group)).toEqual([4004]);
  });

  it('no longer counts a member whose enterprise membership was deactivated', async () => {
    await ok(
      t,
      as.adminA,
      'DELETE',
      `${api}/enterprise-customer/${ENTERPRISE_A}/learners/4004/`,
      undefined,
      204,
    );
    expect(await isGroupMember(t.db.kysely, group, 4004)).toBe(false);
    expect(await groupsOfLearner(t.db.kysely, ENTERPRISE_A, 4004)).toEqual([]);
  });

  it('deletes a group', async () => {
    const temp = await ok(t, as.operator, 'POST', `${api}/enterprise-group/`, {
      enterprise_customer: ENTERPRISE_A,
      name: 'Temp',
    });
    await ok(t, as.adminA, 'DELETE', `${api}/enterprise-group/${temp.uuid}/`, undefined, 204);
    expect(
      (await t.request({ method: 'GET', url: `${api}/enterprise-group/${temp.uuid}/`, as: as.operator }))
        .statusCode,
    ).toBe(404);
  });
});
