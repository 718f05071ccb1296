import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_ROLES,
  type Body,
  client,
  programFixture,
} from '../../src/modules/credentials/test/fixtures.js';
import { personas, type TestApp, testApp } from '../support/app.js';

/**
 * The learner-record page (openedx/frontend-app-learner-record) replayed against Campus:
 * src/components/ProgramRecord/data/service.js getProgramDetails, and the fields
 * ProgramRecord.jsx, ProgramRecordHeader.jsx and ProgramRecordTable.jsx read.
 */
describe('learner record: one program record, private and shared', () => {
  let t: TestApp;
  let alice: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let fx: Awaited<ReturnType<typeof programFixture>>;
  const hex = (uuid: string) => uuid.replace(/-/g, '');

  beforeAll(async () => {
    t = await testApp();
    const staff = (await personas(t)).staff;
    const admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    alice = client(
      t,
      await t.token({ userId: 42, username: 'alice', email: 'alice@example.com', name: 'Alice Liddell' }),
    );
    anonymous = client(t, null);
    fx = await programFixture(t, staff, { excludeA1: false });
    // An unfinished program: course A earned, B and C not.
    await admin.cert('alice', fx.A2.key, {}, 42);
    await admin.grade('alice', fx.A2.key, 'A', 0.9);
  });
  afterAll(() => t.close());

  /** Every field the page reads, for a record of an unfinished program. */
  const expectReadable = (record: Body) => {
    expect(record.learner).toEqual(expect.objectContaining({ username: 'alice', email: expect.any(String) }));
    expect(record.platform_name).toEqual(expect.any(String));
    expect(record.program).toMatchObject({
      name: fx.P.title,
      school: expect.any(String),
      completed: false,
      empty: false,
      type: expect.any(String),
      type_name: expect.any(String),
      last_updated: expect.any(String),
    });
    expect(record.pathways).toEqual(expect.any(Array));
    expect(record).toHaveProperty('shared_program_record_uuid');
    expect(record.grades).toHaveLength(3);
    for (const g of record.grades) {
      // ProgramRecordTable: grade.course_id.replace(/^course-v1:/, '') runs on every row.
      expect(typeof g.course_id).toBe('string');
      expect(g).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          school: expect.any(String),
          attempts: expect.any(Number),
        }),
      );
    }
    const [a, b, c] = record.grades;
    expect(a).toMatchObject({ course_id: fx.A2.key, percent_grade: 0.9, letter_grade: 'A' });
    expect(a.issue_date).toEqual(expect.any(String));
    // Not earned: issue_date falsy, course_id "" (as credentials sends it).
    for (const g of [b, c]) {
      expect(g.course_id).toBe('');
      expect(g.issue_date).toBeFalsy();
    }
  };

  it('sends a string course_id on every row of the private record (is_public=false)', async () => {
    const res = await alice.get(`/records/api/v1/program_records/${hex(fx.P.uuid)}/?is_public=false`);
    expect(res.status).toBe(200);
    expectReadable(res.body.record);
    expect(res.body.record.learner.email).toBe('alice@example.com');
    // ProgramRecordHeader shows `learner.full_name`: the LMS token's `name` claim.
    expect(res.body.record.learner.full_name).toBe('Alice Liddell');
  });

  it('keeps the email out of the shared record yet gives the page every field (is_public=true, no login)', async () => {
    // ProgramRecordActions: POST /records/programs/{uuid}/share {username}
    const shared = await alice.post(`/records/programs/${hex(fx.P.uuid)}/share`, { username: 'alice' });
    expect(shared.status).toBe(201);
    const sharedUuid = shared.body.url.match(/shared\/([0-9a-f]{32})\/$/)[1];
    const res = await anonymous.get(`/records/api/v1/program_records/${sharedUuid}/?is_public=true`);
    expect(res.status).toBe(200);
    expectReadable(res.body.record);
    // ProgramRecordHeader interpolates learner.email: present, and empty.
    expect(res.body.record.learner.email).toBe('');
    expect(JSON.stringify(res.body)).not.toContain('alice@example.com');
    // With no email, the name is what tells a reader whose record this is: kept from the token
    // of the learner who shared it (credentials keeps the user's full name; Campus sent null).
    expect(res.body.record.learner.full_name).toBe('Alice Liddell');
  });
});

/** The deployment settings a learner-record installation gives credentials, read by the same page. */
describe('learner record: the shared link opens the learner record MFE when one is configured', () => {
  let t: TestApp;
  const MFE = 'https://apps.example.com/learner-record';

  beforeAll(async () => {
    t = await testApp({
      config: {
        learnerRecordMfeUrl: MFE,
        platformName: 'Example Learning',
        recordsHelpUrl: 'https://help.example.com/records',
      },
    });
    const staff = (await personas(t)).staff;
    const admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    const fx = await programFixture(t, staff, { excludeA1: false });
    await admin.cert('alice', fx.A2.key, {}, 42);
    const alice = client(t, await t.token({ userId: 42, username: 'alice', email: 'alice@example.com' }));
    const shared = await alice.post(`/records/programs/${fx.P.uuid.replace(/-/g, '')}/share`, {
      username: 'alice',
    });
    expect(shared.status).toBe(201);
    sharedUrl = shared.body.url;
  });
  afterAll(() => t.close());
  let sharedUrl = '';

  it('redirects a browser opening the shared link to {MFE}/shared/{uuid} (src/constants.js ROUTES)', async () => {
    const path = new URL(sharedUrl).pathname;
    const hexUuid = path.match(/shared\/([0-9a-f]{32})\/$/)![1];
    const res = await t.request({ method: 'GET', url: path, headers: { accept: 'text/html,*/*' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${MFE}/shared/${hexUuid}`);
  });

  it('names the platform and the help page as configured (ProgramRecordHeader, ProgramRecord.jsx)', async () => {
    const path = new URL(sharedUrl).pathname;
    const hexUuid = path.match(/shared\/([0-9a-f]{32})\/$/)![1];
    const res = await t.request({
      method: 'GET',
      url: `/credentials/records/api/v1/program_records/${hexUuid}/?is_public=true`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().record.platform_name).toBe('Example Learning');
    expect(res.json().records_help_url).toBe('https://help.example.com/records');
  });
});
