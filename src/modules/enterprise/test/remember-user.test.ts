import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDb, type TestApp, testApp } from '../../../../test/support/app.js';
import type { Principal } from '../../../shared/principal.js';
import {
  addPendingAdmins,
  getEnterpriseCustomer,
  getLearner,
  isActiveMember,
  listAdminContacts,
  rememberUser,
} from '../index.js';

const CUSTOMER = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

function principal(lmsUserId: number, username: string, email: string | null): Principal {
  return { lmsUserId, username, email, isStaff: false, grants: [] };
}

describe('rememberUser and the reads other modules use', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp();
    const now = t.clock.now();
    await t.db.kysely
      .insertInto('enterprise_customers')
      .values({ uuid: CUSTOMER, name: 'Cee', slug: 'cee', created: now, modified: now })
      .execute();
    await t.db.kysely
      .insertInto('enterprise_pending_memberships')
      .values({
        enterprise_customer_uuid: CUSTOMER,
        email: 'new.person@example.com',
        created: now,
        modified: now,
      })
      .execute();
    await t.db.transaction((trx) =>
      addPendingAdmins(t.app.campus, trx, CUSTOMER, ['Boss@Example.com', 'boss@example.com']),
    );
  });
  afterAll(() => t.close());

  it('creates the learner from the token and links the pending membership by email, case-insensitively', async () => {
    expect(await isActiveMember(t.db.kysely, CUSTOMER, 5)).toBe(false);
    await rememberUser(t.app.campus, principal(5, 'newbie', 'New.Person@example.com'));
    expect(await getLearner(t.db.kysely, 5)).toMatchObject({
      lms_user_id: 5,
      username: 'newbie',
      email: 'New.Person@example.com',
    });
    expect(await isActiveMember(t.db.kysely, CUSTOMER, 5)).toBe(true);
  });

  it('writes again when the token carries new fields, and keeps the email when a token has none', async () => {
    await rememberUser(t.app.campus, principal(5, 'renamed', null));
    expect(await getLearner(t.db.kysely, 5)).toMatchObject({
      username: 'renamed',
      email: 'New.Person@example.com',
    });
  });

  it('lists pending admin invitations, then links them when the admin appears', async () => {
    expect(await listAdminContacts(t.db.kysely, CUSTOMER)).toEqual([
      { email: 'boss@example.com', lms_user_id: null },
    ]);
    await rememberUser(t.app.campus, principal(6, 'boss', 'boss@example.com'));
    expect(await listAdminContacts(t.db.kysely, CUSTOMER)).toEqual([
      { email: 'boss@example.com', lms_user_id: 6 },
    ]);
  });

  it('reads a customer by uuid, undefined when unknown', async () => {
    expect(await getEnterpriseCustomer(t.db.kysely, CUSTOMER)).toMatchObject({ slug: 'cee', active: true });
    expect(await getEnterpriseCustomer(t.db.kysely, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('writes a new user once for a burst of their requests, and each request sees the learner', async () => {
    const statements: string[] = [];
    const own = await testApp({ db: await memoryDb({ onQuery: (sql) => statements.push(sql) }) });
    try {
      const burst = principal(77, 'burst', 'burst@example.com');
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          await rememberUser(own.app.campus, burst);
          expect(await getLearner(own.db.kysely, 77)).toMatchObject({ username: 'burst' });
        }),
      );
      expect(statements.filter((q) => /^insert into "enterprise_learners"/.test(q))).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});
