import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { ADMIN_ROLES, type Body, client, programFixture } from './fixtures.js';

const hex = (uuid: string) => uuid.replace(/-/g, '');

/** Pathways, credit requests and program records: sharing, CSV, credit requests sent again. */
describe('program records, sharing and credit requests', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let fx: Awaited<ReturnType<typeof programFixture>>;
  let pathway: { id: string };

  beforeAll(async () => {
    t = await testApp();
    const staff = (await personas(t)).staff;
    admin = client(t, await t.token({ userId: 7000, username: 'registrar', roles: ADMIN_ROLES }));
    alice = client(t, await t.token({ userId: 42, username: 'alice', email: 'alice@example.com' }));
    bob = client(t, await t.token({ userId: 43, username: 'bob', email: 'bob@example.com' }));
    anonymous = client(t, null);
    fx = await programFixture(t, staff, { excludeA1: false });
    await admin.cert('alice', fx.A1.key, {}, 42);
    await admin.grade('alice', fx.A1.key, 'C', 0.75);
    await admin.cert('alice', fx.A2.key, {}, 42);
    await admin.grade('alice', fx.A2.key, 'A', 1.0);
    await admin.cert('alice', fx.B1.key, {}, 42);
    await admin.grade('alice', fx.B1.key, 'B', 0.8, { verified: false });
    const created = await admin.post('/api/v2/pathways/', {
      name: 'State University credit',
      org_name: 'State U',
      email: 'registrar@state.example.edu',
      programs: [fx.P.uuid],
    });
    expect(created.status).toBe(201);
    pathway = created.body;
  });
  afterAll(() => t.close());

  it('lists the learner programs without a trailing slash too (scenario 32)', async () => {
    const r = await alice.get('/records/api/v1/program_records');
    expect(r.status).toBe(200);
    expect(r.body.enrolled_programs).toEqual([
      expect.objectContaining({ uuid: hex(fx.P.uuid), name: fx.P.title, completed: false, empty: false }),
    ]);
    expect((await bob.get('/records/api/v1/program_records/')).body).toEqual({ enrolled_programs: [] });
    expect((await alice.get('/records/api/v1/program_records/?username=bob')).status).toBe(403);
    expect(
      (await admin.get('/records/api/v1/program_records/?username=alice')).body.enrolled_programs,
    ).toHaveLength(1);
    expect((await admin.get('/records/api/v1/program_records/?username=ghost')).status).toBe(404);
  });

  it("refuses a token that only borrows a learner's username on every read (409 learner_id_mismatch)", async () => {
    // Another lms_user_id with alice's username: before, every read below answered alice's data.
    const impostor = client(
      t,
      await t.token({ userId: 9999, username: 'alice', email: 'mallory@example.com' }),
    );
    const reads = [
      await impostor.get('/records/api/v1/program_records/'),
      await impostor.get('/records/api/v1/program_records/?username=alice'),
      await impostor.get(`/records/api/v1/program_records/${hex(fx.P.uuid)}/?is_public=false`),
      await impostor.get('/api/v2/credentials/?username=alice'),
      await impostor.post('/api/credentials/v1/learner_cert_status/', {
        username: 'alice',
        course_runs: [fx.A1.key],
      }),
      await impostor.post('/api/credentials/v1/learner_program_status/', {
        username: 'alice',
        program_uuid: fx.P.uuid,
      }),
    ];
    for (const r of reads) {
      expect(r.status).toBe(409);
      expect(r.body.error_code).toBe('learner_id_mismatch');
      expect(JSON.stringify(r.body)).not.toContain('alice@example.com');
    }
    // The real alice still reads hers.
    expect((await alice.get('/records/api/v1/program_records/')).body.enrolled_programs).toHaveLength(1);
  });

  it('shows one row per course: best grade, attempts, issue date; ungraded and unearned rows (scenarios 26, 27)', async () => {
    const r = await alice.get(`/records/api/v1/program_records/${hex(fx.P.uuid)}/?is_public=false`);
    expect(r.status).toBe(200);
    const { record } = r.body;
    expect(record.learner).toEqual({ username: 'alice', full_name: null, email: 'alice@example.com' });
    expect(record.program).toMatchObject({
      name: fx.P.title,
      completed: false,
      type: 'professional-certificate',
    });
    expect(record.grades[0]).toMatchObject({
      attempts: 2,
      course_id: fx.A2.key,
      percent_grade: 1,
      letter_grade: 'A',
    });
    expect(record.grades[1]).toMatchObject({
      attempts: 0,
      course_id: fx.B1.key,
      percent_grade: null,
      letter_grade: null,
    });
    expect(record.grades[1].issue_date).toEqual(expect.any(String));
    expect(record.grades[2]).toMatchObject({ course_id: '', issue_date: null });
    expect(record.pathways).toEqual([
      {
        id: pathway.id,
        name: 'State University credit',
        status: '',
        is_active: true,
        pathway_type: 'credit',
      },
    ]);
    expect(record.shared_program_record_uuid).toBeNull();

    await admin.post('/api/v2/course_certificates/', {
      course_id: fx.A2.key,
      certificate_type: 'verified',
      certificate_available_date: '2099-01-01T00:00:00Z',
    });
    const hidden = (await alice.get(`/records/api/v1/program_records/${fx.P.uuid}/`)).body.record;
    expect(hidden.grades[0]).toMatchObject({
      attempts: 1,
      course_id: fx.A1.key,
      percent_grade: 0.75,
      letter_grade: 'C',
    });
    await admin.patch(`/api/v2/course_certificates/${fx.A2.key}/`, { certificate_available_date: null });

    expect(
      (await anonymous.get(`/records/api/v1/program_records/${hex(fx.P.uuid)}/?is_public=false`)).status,
    ).toBe(401);
    expect((await bob.get(`/records/api/v1/program_records/${fx.P.uuid}/?username=alice`)).status).toBe(403);
  });

  it('shares a public link (201 then 200, same url) that works without a token and hides the email (scenario 28)', async () => {
    const first = await alice.post(`/records/programs/${hex(fx.P.uuid)}/share`, { username: 'alice' });
    expect(first.status).toBe(201);
    const again = await alice.post(`/records/programs/${hex(fx.P.uuid)}/share`, { username: 'alice' });
    expect(again.status).toBe(200);
    expect(again.body.url).toBe(first.body.url);
    expect((await bob.post(`/records/programs/${hex(fx.P.uuid)}/share`, { username: 'alice' })).status).toBe(
      403,
    );

    const shared = first.body.url.match(/shared\/([0-9a-f]{32})\/$/)[1];
    const pub = await anonymous.get(`/records/api/v1/program_records/${shared}/?is_public=true`);
    expect(pub.status).toBe(200);
    expect(pub.body.record.learner).toEqual({ username: 'alice', full_name: null, email: '' });
    expect(JSON.stringify(pub.body)).not.toContain('alice@example.com');
    expect(pub.body.record.grades).toHaveLength(3);
    const view = await anonymous.get(new URL(first.body.url).pathname.replace(/^\/credentials/, ''));
    expect(view.status).toBe(200);
    expect(view.body.uuid).toBe(shared);
    expect(
      (await anonymous.get(`/records/api/v1/program_records/${'0'.repeat(32)}/?is_public=true`)).status,
    ).toBe(404);

    const own = await alice.get(`/records/api/v1/program_records/${fx.P.uuid}/`);
    expect(own.body.record.shared_program_record_uuid).toBe(shared);
  });

  it('downloads the shared record as CSV without a token and without the email (scenario 31)', async () => {
    const { body } = await alice.post(`/records/programs/${fx.P.uuid}/share`, { username: 'alice' });
    const csv = await anonymous.get(`${new URL(body.url).pathname.replace(/^\/credentials/, '')}csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="alice_${fx.P.title.toLowerCase().replace(/\s+/g, '_')}_grades.csv"`,
    );
    const lines = csv.text.trim().split('\r\n');
    expect(lines.slice(0, 6).map((l: string) => l.split(',')[0])).toEqual([
      '"Program Name"',
      '"Program Type"',
      '"Platform Provider"',
      '"Authoring Organization(s)"',
      '"Learner Name"',
      '"Username"',
    ]);
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe(
      '"name","school","attempts","course_id","issue_date","percent_grade","letter_grade"',
    );
    expect(lines).toHaveLength(11);
    expect(csv.text).not.toContain('alice@example.com');
    expect((await anonymous.get(`/records/programs/shared/${'0'.repeat(32)}/csv`)).status).toBe(404);
  });

  it('sends a credit request twice: two emails, one row with the program, counted (scenario 29)', async () => {
    const send = () =>
      alice.post(`/records/programs/${hex(fx.P.uuid)}/send`, { username: 'alice', pathway_id: pathway.id });
    const first = await send();
    expect(first.status).toBe(200);
    const second = await send();
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      id: first.body.id,
      program_uuid: fx.P.uuid,
      status: 'sent',
      request_count: 2,
    });

    const list = await admin.get(`/api/v2/credit_requests/?username=alice&program_uuid=${hex(fx.P.uuid)}`);
    expect(list.body.count).toBe(1);
    expect(list.body.results[0]).toMatchObject({
      pathway_id: pathway.id,
      program_uuid: fx.P.uuid,
      request_count: 2,
    });
    expect((await admin.get(`/api/v2/credit_requests/?pathway_id=${pathway.id}`)).body.count).toBe(1);

    const mail = await t.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'registrar@state.example.edu')
      .execute();
    expect(mail).toHaveLength(2);
    expect(mail[0]).toMatchObject({
      reply_to: 'alice@example.com',
      subject: `${fx.P.title} Credit Request for alice`,
    });
    expect(mail[0]!.text_body).toContain('partially completed program record');
    expect(mail[0]!.text_body).toContain('/credentials/records/programs/shared/');
    const sends = await t.db.kysely.selectFrom('credit_request_sends').selectAll().execute();
    expect(sends.map((s) => s.outbox_uuid).sort()).toEqual(mail.map((m) => m.uuid).sort());

    const record = (await alice.get(`/records/api/v1/program_records/${fx.P.uuid}/`)).body.record;
    expect(record.pathways[0].status).toBe('sent');
    expect(
      (await bob.post(`/records/programs/${fx.P.uuid}/send`, { username: 'alice', pathway_id: pathway.id }))
        .status,
    ).toBe(403);
    expect((await alice.get('/api/v2/credit_requests/')).status).toBe(403);
  });

  it('refuses unpublished, industry and unlinked pathways with 404', async () => {
    const mk = async (extra: object) =>
      (
        await admin.post('/api/v2/pathways/', {
          name: 'X',
          email: 'x@example.com',
          programs: [fx.P.uuid],
          ...extra,
        })
      ).body.id;
    for (const id of [
      await mk({ status: 'unpublished' }),
      await mk({ pathway_type: 'industry' }),
      await mk({ programs: [] }),
    ]) {
      const r = await alice.post(`/records/programs/${fx.P.uuid}/send`, {
        username: 'alice',
        pathway_id: id,
      });
      expect(r.status).toBe(404);
    }
  });

  it('keeps the status per (pathway, program) and adopts a legacy row only when the record was shared (scenario 30)', async () => {
    const Q = await fx.cat.post('/programs/', {
      title: 'Second program',
      type: 'xseries',
      status: 'active',
      courses: [fx.A.key],
    });
    await admin.patch(`/api/v2/pathways/${pathway.id}/`, { programs: [fx.P.uuid, Q.body.uuid] });
    const qRecord = (await alice.get(`/records/api/v1/program_records/${Q.body.uuid}/`)).body.record;
    expect(qRecord.pathways[0].status).toBe('');

    const u = await t.token({ userId: 44, username: 'carol', email: 'carol@example.com' });
    const carol = client(t, u);
    await admin.cert('carol', fx.A2.key, {}, 44);
    const learner = await t.db.kysely
      .selectFrom('credential_learners')
      .selectAll()
      .where('username', '=', 'carol')
      .executeTakeFirstOrThrow();
    const now = t.clock.now();
    await t.db.kysely
      .insertInto('credit_requests')
      .values({
        uuid: '00000000-0000-4000-8000-00000000c0de',
        learner_uuid: learner.uuid,
        pathway_uuid: pathway.id,
        program_uuid: null,
        status: 'sent',
        request_count: 1,
        last_sent: now,
        created: now,
        modified: now,
      })
      .execute();
    // Q not shared yet: the send creates a new (carol, pathway, Q) row; the legacy row stays untouched.
    await carol.post(`/records/programs/${Q.body.uuid}/send`, { username: 'carol', pathway_id: pathway.id });
    // P shared before the send: the legacy row (program null) is adopted for P.
    await carol.post(`/records/programs/${fx.P.uuid}/share`, { username: 'carol' });
    await carol.post(`/records/programs/${fx.P.uuid}/send`, { username: 'carol', pathway_id: pathway.id });
    const rows = (await admin.get('/api/v2/credit_requests/?username=carol')).body.results;
    expect(
      rows.map((r: Body) => [r.id === '00000000-0000-4000-8000-00000000c0de', r.program_uuid]).sort(),
    ).toEqual(
      [
        [false, Q.body.uuid],
        [true, fx.P.uuid],
      ].sort(),
    );
  });

  it('answers 404 for an unknown program (the reference answers 500) and for sharing it', async () => {
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    expect((await alice.get(`/records/api/v1/program_records/${unknown}/?is_public=false`)).status).toBe(404);
    expect((await alice.post(`/records/programs/${hex(unknown)}/share`, { username: 'alice' })).status).toBe(
      404,
    );
    expect(
      (await alice.post(`/records/programs/${fx.P.uuid}/share`, { username: 'alice', extra: 1 })).status,
    ).toBe(400);
  });

  it('manages pathways: read, refuse unknown programs, delete only without requests', async () => {
    expect((await admin.get(`/api/v2/pathways/${hex(pathway.id)}/`)).body.name).toBe(
      'State University credit',
    );
    expect((await admin.get('/api/v2/pathways/')).body.count).toBeGreaterThan(1);
    const bad = await admin.post('/api/v2/pathways/', {
      name: 'Y',
      programs: ['00000000-0000-4000-8000-0000000000ff'],
    });
    expect(bad.status).toBe(400);
    expect((await admin.delete(`/api/v2/pathways/${pathway.id}/`)).status).toBe(409);
    const spare = await admin.post('/api/v2/pathways/', { name: 'Spare' });
    expect((await admin.delete(`/api/v2/pathways/${spare.body.id}/`)).status).toBe(204);
    expect((await alice.get('/api/v2/pathways/')).status).toBe(403);
  });

  it('marks the record completed once the program certificate is awarded; the email then says completed', async () => {
    await admin.cert('alice', fx.C1.key, {}, 42);
    const list = await alice.get('/records/api/v1/program_records/');
    expect(list.body.enrolled_programs.find((p: Body) => p.uuid === hex(fx.P.uuid)).completed).toBe(true);
    t.clock.advance(1000);
    await alice.post(`/records/programs/${fx.P.uuid}/send`, { username: 'alice', pathway_id: pathway.id });
    const last = await t.db.kysely
      .selectFrom('outbox')
      .select('text_body')
      .where('to_address', '=', 'registrar@state.example.edu')
      .orderBy('created', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.text_body).toContain('has sent their completed program record');
  });
});
