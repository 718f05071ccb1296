import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { serverRelay } from '../src/cli/relay.js';
import { CLI_RELAY_PATH } from '../src/http/cli-relay.routes.js';
import { accessWorld } from '../src/modules/access/test/fixtures.js';
import { assignmentsWorld } from '../src/modules/assignments/test/fixtures.js';
import {
  catalogWorld,
  provisioningAdmin,
  provisioningRequest,
} from '../src/modules/provisioning/test/fixtures.js';
import { requestsWorld } from '../src/modules/requests/test/fixtures.js';
import { ENTERPRISE_A, ENTERPRISE_B, type Persona, personas, type TestApp, testApp } from './support/app.js';
import { POLICY, subsidyWorld } from './support/worlds.js';

/**
 * Who may call what. Every endpoint appears here with the personas allowed to call it; everyone
 * else must be refused: anonymous with 401, the others with 403 (or 404 where the object is
 * hidden from them). A module adds a block with its own fixtures.
 */
/** Callers only some blocks need, beside the common personas; a block names those it adds. */
const extraPersonas = { provisioningAdmin };
type ExtraPersona = keyof typeof extraPersonas;
type Caller = Persona | ExtraPersona;
type Callers = Record<Persona, string | null> & Partial<Record<ExtraPersona, string>>;

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  payload?: unknown;
  allowed: Caller[];
}

interface Block {
  module: string;
  /** How the block's app is built, when not as every other. */
  app?: Parameters<typeof testApp>[0];
  extraPersonas?: ExtraPersona[];
  /** Creates what the cases need and returns their urls and bodies. */
  cases(t: TestApp, as: Callers): Promise<Case[]>;
}

const everyoneSignedIn: Persona[] = [
  'learnerA',
  'adminA',
  'learnerB',
  'adminB',
  'operator',
  'catalogAdmin',
  'staff',
];
const operators: Persona[] = ['operator', 'staff'];

const blocks: Block[] = [
  {
    module: 'system',
    cases: async () => [
      { method: 'GET', url: '/healthz', allowed: ['anonymous', ...everyoneSignedIn] },
      { method: 'GET', url: '/api/v1/me/', allowed: everyoneSignedIn },
    ],
  },
  {
    // The door local `campus` commands use while the server owns the embedded database: no token
    // of any role opens it, only the lock file's secret (test/foundation/cli-relay.test.ts).
    module: 'local command relay',
    app: { cliRelay: serverRelay('role-matrix-relay-secret', runCli) },
    cases: async () => [
      { method: 'POST', url: CLI_RELAY_PATH, payload: { args: ['outbox', 'list'], cwd: '/' }, allowed: [] },
    ],
  },
  {
    module: 'notifications',
    cases: async () => [{ method: 'GET', url: '/api/v1/outbox/', allowed: operators }],
  },
  {
    module: 'catalog',
    cases: async (t, as) => {
      const catalogWriters: Persona[] = ['catalogAdmin', 'staff'];
      const api = '/catalog/api/v1';
      const post = async (url: string, payload: object) => {
        const res = await t.request({ method: 'POST', url: `${api}${url}`, payload, as: as.staff });
        if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
        return res.json();
      };
      const verifiedAudit = '5eed0000-0000-4000-8000-000000000303';
      const verifiedAuditRun = '5eed0000-0000-4000-8000-000000000203';
      await post('/organizations/', { key: 'MatrixX', name: 'Matrix' });
      const course = await post('/courses/', {
        title: 'Matrix',
        number: 'M101',
        org: 'MatrixX',
        type: verifiedAudit,
      });
      const run = await post('/course_runs/', {
        course: course.key,
        start: '2026-09-01',
        end: '2026-12-01',
        run_type: verifiedAuditRun,
      });
      const program = await post('/programs/', {
        title: 'Matrix Program',
        type: 'xseries',
        courses: [course.key],
      });
      const reads = [
        '/seat_types/',
        '/modes/',
        '/tracks/',
        '/course_run_types/',
        `/course_run_types/${verifiedAuditRun}/`,
        '/course_types/',
        '/course_types/type_options/',
        `/course_types/${verifiedAudit}/`,
        '/program_types/',
        '/program_types/xseries/',
        '/organizations/',
        '/organizations/MatrixX/',
        '/courses/',
        `/courses/${course.key}/`,
        '/course_runs/',
        `/course_runs/contains/?course_run_ids=${encodeURIComponent(run.key)}`,
        `/course_runs/${run.key}/`,
        '/programs/',
        `/programs/${program.uuid}/`,
        `/course_review/${course.key}/`,
      ];
      return [
        ...reads.map((url) => ({ method: 'GET' as const, url: `${api}${url}`, allowed: everyoneSignedIn })),
        {
          method: 'GET',
          url: `/catalog/taxonomy/api/v1/course_recommendations/${course.key}/`,
          allowed: everyoneSignedIn,
        },
        { method: 'OPTIONS', url: `${api}/courses/${course.key}/`, allowed: everyoneSignedIn },
        { method: 'POST', url: `${api}/seat_types/`, payload: { name: 'Gold' }, allowed: catalogWriters },
        { method: 'POST', url: `${api}/modes/`, payload: { name: 'Masters' }, allowed: catalogWriters },
        {
          method: 'POST',
          url: `${api}/tracks/`,
          payload: { mode: 'audit', seat_type: null },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/course_run_types/`,
          payload: { name: 'Audit SPOC', is_marketable: false, tracks: [] },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/course_types/`,
          payload: { name: 'Audit SPOC course', course_run_types: [] },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/organizations/`,
          payload: { key: 'M2', name: 'M2' },
          allowed: catalogWriters,
        },
        {
          method: 'PATCH',
          url: `${api}/organizations/MatrixX/`,
          payload: { name: 'Matrix!' },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/courses/`,
          payload: { title: 'M', number: 'M102', org: 'MatrixX', type: verifiedAudit },
          allowed: catalogWriters,
        },
        {
          method: 'PATCH',
          url: `${api}/courses/${course.key}/`,
          payload: { title: 'Matrix 2' },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/course_runs/`,
          payload: { course: course.key, start: '2027-01-01', end: '2027-03-01', run_type: verifiedAuditRun },
          allowed: catalogWriters,
        },
        {
          method: 'PATCH',
          url: `${api}/course_runs/${run.key}/`,
          payload: { hidden: false },
          allowed: catalogWriters,
        },
        {
          method: 'POST',
          url: `${api}/programs/`,
          payload: { title: 'P', type: 'xseries', courses: [] },
          allowed: catalogWriters,
        },
        {
          method: 'PATCH',
          url: `${api}/programs/${program.uuid}/`,
          payload: { title: 'P2' },
          allowed: catalogWriters,
        },
      ];
    },
  },
  {
    module: 'enterprise',
    cases: async (t, as) => {
      const api = '/enterprise/api/v1';
      const A = ENTERPRISE_A;
      const adminsOfA: Persona[] = ['adminA', ...operators];
      const readersOfA: Persona[] = ['learnerA', ...adminsOfA];
      const post = async (url: string, payload: object, who = as.operator) => {
        const res = await t.request({ method: 'POST', url, payload, as: who });
        if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
        return res.json();
      };
      await post(`${api}/enterprise-customer/`, { uuid: A, name: 'A', slug: 'a' });
      await post(`${api}/enterprise-customer/`, { uuid: ENTERPRISE_B, name: 'B', slug: 'b' });
      const doomed = await post(`${api}/enterprise-customer/`, { name: 'Doomed', slug: 'doomed' });
      await post('/catalog/api/v1/organizations/', { key: 'EntX', name: 'Ent' }, as.staff);
      const course = await post(
        '/catalog/api/v1/courses/',
        { title: 'Ent', number: 'E101', org: 'EntX', type: '5eed0000-0000-4000-8000-000000000303' },
        as.staff,
      );
      const filter = { org: 'EntX' };
      const catalog = await post(`${api}/enterprise-catalogs/`, {
        enterprise_customer: A,
        title: 'C',
        content_filter: filter,
      });
      const doomedCatalog = await post(`${api}/enterprise-catalogs/`, {
        enterprise_customer: A,
        title: 'D',
        content_filter: filter,
      });
      const group = await post(`${api}/enterprise-group/`, { enterprise_customer: A, name: 'G' });
      const doomedGroup = await post(`${api}/enterprise-group/`, { enterprise_customer: A, name: 'D' });
      await post(`${api}/enterprise-customer/${A}/learners/`, {
        lms_user_id: 5001,
        username: 'm',
        email: 'm@example.com',
      });
      const key = encodeURIComponent(course.key);
      return [
        { method: 'GET', url: `${api}/enterprise-customer/`, allowed: everyoneSignedIn },
        {
          method: 'POST',
          url: `${api}/enterprise-customer/`,
          payload: { name: 'New', slug: 'new' },
          allowed: operators,
        },
        { method: 'GET', url: `${api}/enterprise-customer/${A}/`, allowed: readersOfA },
        {
          method: 'PATCH',
          url: `${api}/enterprise-customer/${A}/`,
          payload: { name: 'A!' },
          allowed: operators,
        },
        { method: 'GET', url: `${api}/enterprise-customer/${A}/learners/`, allowed: adminsOfA },
        { method: 'GET', url: `${api}/enterprise-customer/${A}/pending-learners/`, allowed: adminsOfA },
        {
          method: 'POST',
          url: `${api}/enterprise-customer/${A}/learners/`,
          payload: { emails: ['invited@example.com'] },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/enterprise-customer/${A}/learners/`,
          // Linking by id is the operators' direct link; admins invite by email (direct_link_operators_only).
          payload: { lms_user_id: 5002, username: 'n', email: 'n@example.com' },
          allowed: operators,
        },
        { method: 'DELETE', url: `${api}/enterprise-customer/${A}/learners/5001/`, allowed: adminsOfA },
        { method: 'GET', url: `${api}/memberships/`, allowed: everyoneSignedIn },
        {
          method: 'GET',
          url: `${api}/enterprise-customer/${A}/contains_content_items/?course_run_ids=${key}`,
          allowed: readersOfA,
        },
        {
          method: 'GET',
          url: `/enterprise/api/v2/enterprise-customer/${A}/content-metadata/${key}/`,
          allowed: readersOfA,
        },
        { method: 'GET', url: `${api}/enterprise-catalogs/`, allowed: everyoneSignedIn },
        {
          method: 'POST',
          url: `${api}/enterprise-catalogs/`,
          payload: { enterprise_customer: A, title: 'New', content_filter: filter },
          allowed: operators,
        },
        { method: 'GET', url: `${api}/enterprise-catalogs/${catalog.uuid}/`, allowed: adminsOfA },
        {
          method: 'PATCH',
          url: `${api}/enterprise-catalogs/${catalog.uuid}/`,
          payload: { title: 'C!' },
          allowed: operators,
        },
        {
          method: 'GET',
          url: `${api}/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${key}`,
          allowed: readersOfA,
        },
        {
          method: 'GET',
          url: `/enterprise/api/v2/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${key}`,
          allowed: readersOfA,
        },
        {
          method: 'GET',
          url: `${api}/enterprise-catalogs/${catalog.uuid}/get_content_metadata/`,
          allowed: readersOfA,
        },
        ...['enterprise-curations/', 'highlight-sets/', 'academies', 'academies/'].map(
          (path): Case => ({
            method: 'GET',
            url: `${api}/${path}?enterprise_customer=${A}`,
            allowed: readersOfA,
          }),
        ),
        {
          method: 'GET',
          url: `${api}/enterprise-curations-admin/?enterprise_customer=${A}`,
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/enterprise-curations-admin/`,
          payload: { enterprise_customer: A, title: 'Highlights' },
          allowed: adminsOfA,
        },
        { method: 'GET', url: `${api}/enterprise-group/`, allowed: everyoneSignedIn },
        {
          method: 'POST',
          url: `${api}/enterprise-group/`,
          payload: { enterprise_customer: A, name: 'New' },
          allowed: adminsOfA,
        },
        { method: 'GET', url: `${api}/enterprise-group/${group.uuid}/`, allowed: adminsOfA },
        {
          method: 'PATCH',
          url: `${api}/enterprise-group/${group.uuid}/`,
          payload: { name: 'G!' },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/enterprise-group/${group.uuid}/assign_learners/`,
          payload: { learner_emails: ['g@example.com'] },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/enterprise-group/${group.uuid}/remove_learners/`,
          payload: { learner_emails: ['g@example.com'] },
          allowed: adminsOfA,
        },
        { method: 'GET', url: `${api}/enterprise-group/${group.uuid}/learners/`, allowed: adminsOfA },
        { method: 'DELETE', url: `${api}/enterprise-catalogs/${doomedCatalog.uuid}/`, allowed: operators },
        { method: 'DELETE', url: `${api}/enterprise-group/${doomedGroup.uuid}/`, allowed: adminsOfA },
        { method: 'DELETE', url: `${api}/enterprise-customer/${doomed.uuid}/`, allowed: operators },
      ];
    },
  },
  {
    module: 'subsidy',
    cases: async (t, as) => {
      const world = await subsidyWorld(t, as.staff ?? '');
      const sub = `/subsidy/api/v1/subsidies/${world.subsidy.uuid}/`;
      const v2 = `/subsidy/api/v2/subsidies/${world.subsidy.uuid}`;
      const redeem = await t.request({
        method: 'POST',
        url: `${v2}/admin/transactions/`,
        payload: { subsidy_access_policy_uuid: POLICY, lms_user_id: 101, content_key: world.run.key },
        as: as.operator,
      });
      const tx = redeem.json();
      const adminsOfA: Persona[] = ['adminA', ...operators];
      const learnersOfA: Persona[] = ['learnerA', ...adminsOfA];
      const newSubsidy = (ref: string) => ({
        reference_id: ref,
        default_title: 'x',
        default_enterprise_customer_uuid: ENTERPRISE_B,
        default_active_datetime: null,
        default_expiration_datetime: null,
        default_starting_balance: 0,
      });
      return [
        { method: 'GET', url: '/subsidy/api/v1/subsidies/', allowed: adminsOfA.concat('adminB') },
        {
          method: 'POST',
          url: '/subsidy/api/v1/subsidies/',
          payload: newSubsidy('matrix'),
          allowed: operators,
        },
        { method: 'GET', url: sub, allowed: adminsOfA },
        { method: 'PATCH', url: sub, payload: { title: 'Renamed' }, allowed: operators },
        {
          method: 'GET',
          url: `${sub}can_redeem/?lms_user_id=101&content_key=${encodeURIComponent(world.run.key)}`,
          allowed: adminsOfA,
        },
        { method: 'GET', url: `${sub}aggregates-by-learner`, allowed: adminsOfA },
        {
          method: 'GET',
          url: `/subsidy/api/v1/transactions/?subsidy_uuid=${world.subsidy.uuid}`,
          allowed: learnersOfA,
        },
        { method: 'GET', url: `/subsidy/api/v1/transactions/${tx.uuid}/`, allowed: learnersOfA },
        { method: 'GET', url: `${v2}/admin/transactions/`, allowed: adminsOfA },
        { method: 'GET', url: `${v2}/transactions/`, allowed: learnersOfA },
        {
          method: 'POST',
          url: `${v2}/admin/transactions/`,
          payload: { subsidy_access_policy_uuid: POLICY, lms_user_id: 102, content_key: world.run.key },
          allowed: operators,
        },
        {
          method: 'POST',
          url: `${v2}/admin/deposits/`,
          payload: {
            desired_deposit_quantity: 100,
            sales_contract_reference_id: 'matrix',
            sales_contract_reference_provider: 'salesforce_opportunity_line_item',
          },
          allowed: operators,
        },
        {
          method: 'POST',
          url: `/subsidy/api/v2/transactions/${tx.uuid}/reverse/`,
          payload: {},
          allowed: operators,
        },
        { method: 'GET', url: '/enterprise/api/v1/enrollments/', allowed: everyoneSignedIn },
        {
          method: 'POST',
          url: `/enterprise/api/v1/enrollments/${tx.fulfillment_identifier}/unenroll/`,
          allowed: learnersOfA,
        },
        { method: 'DELETE', url: sub, allowed: operators },
      ];
    },
  },
  {
    module: 'credentials',
    cases: async (t, as) => {
      // No persona holds credentials_admin; staff stands for the writers (credentials_admin is tested in the module).
      const writers: Persona[] = ['staff'];
      const learnerAOnly: Persona[] = ['learnerA', 'staff'];
      const c = '/credentials';
      const post = async (url: string, payload: object, status = 201) => {
        const res = await t.request({ method: 'POST', url, payload, as: as.staff });
        if (res.statusCode !== status) throw new Error(`${url}: ${res.body}`);
        return res.json();
      };
      await post('/catalog/api/v1/organizations/', { key: 'CredX', name: 'Cred' }, 201);
      const course = await post('/catalog/api/v1/courses/', {
        title: 'Cred',
        number: 'CR101',
        org: 'CredX',
        type: '5eed0000-0000-4000-8000-000000000303',
      });
      const run = await post('/catalog/api/v1/course_runs/', {
        course: course.key,
        start: '2025-09-01',
        end: '2025-12-01',
        run_type: '5eed0000-0000-4000-8000-000000000203',
      });
      const program = await post('/catalog/api/v1/programs/', {
        title: 'Cred Program',
        type: 'xseries',
        status: 'active',
        courses: [course.key],
      });
      const cert = await post(`${c}/api/v2/credentials/`, {
        username: 'user101',
        lms_user_id: 101,
        credential: { course_run_key: run.key, mode: 'verified' },
      });
      const doomed = await post(`${c}/api/v2/credentials/`, {
        username: 'user201',
        lms_user_id: 201,
        credential: { course_run_key: run.key, mode: 'verified' },
      });
      const grade = await post(`${c}/api/v2/grades/`, {
        username: 'user101',
        course_run: run.key,
        letter_grade: 'A',
        percent_grade: 0.9,
        verified: true,
      });
      const pathway = await post(`${c}/api/v2/pathways/`, {
        name: 'Matrix credit',
        email: 'credit@example.com',
        programs: [program.uuid],
      });
      const doomedPathway = await post(`${c}/api/v2/pathways/`, { name: 'Doomed' });
      const shared = await post(`${c}/records/programs/${program.uuid}/share`, { username: 'user101' });
      const sharedPath = new URL(shared.url).pathname;
      const sharedUuid = sharedPath.split('/').at(-2);
      const hex = program.uuid.replace(/-/g, '');
      const runKey = encodeURIComponent(run.key);
      const everyone: Persona[] = ['anonymous', ...everyoneSignedIn];
      return [
        { method: 'GET', url: `${c}/api/v2/credentials/`, allowed: writers },
        { method: 'GET', url: `${c}/api/v2/credentials/?username=user101`, allowed: learnerAOnly },
        { method: 'GET', url: `${c}/api/v2/credentials/${cert.uuid}/`, allowed: learnerAOnly },
        {
          method: 'POST',
          url: `${c}/api/v2/credentials/`,
          payload: { username: 'user101', credential: { course_run_key: run.key, mode: 'verified' } },
          allowed: writers,
        },
        {
          method: 'PATCH',
          url: `${c}/api/v2/credentials/${cert.uuid}/`,
          payload: { status: 'awarded' },
          allowed: writers,
        },
        { method: 'DELETE', url: `${c}/api/v2/credentials/${doomed.uuid}/`, allowed: writers },
        {
          method: 'POST',
          url: `${c}/api/v2/grades/`,
          payload: {
            username: 'user101',
            course_run: run.key,
            letter_grade: 'A',
            percent_grade: 1,
            verified: true,
          },
          allowed: writers,
        },
        {
          method: 'PATCH',
          url: `${c}/api/v2/grades/${grade.id}/`,
          payload: { percent_grade: 0.95 },
          allowed: writers,
        },
        {
          method: 'POST',
          url: `${c}/api/v2/course_certificates/`,
          payload: { course_id: run.key, certificate_type: 'verified' },
          allowed: writers,
        },
        { method: 'GET', url: `${c}/api/v2/course_certificates/${runKey}/`, allowed: writers },
        {
          method: 'PATCH',
          url: `${c}/api/v2/course_certificates/${runKey}/`,
          payload: { is_active: true },
          allowed: writers,
        },
        {
          method: 'POST',
          url: `${c}/api/credentials/v1/learner_cert_status/`,
          payload: { username: 'user101', courses: [course.uuid] },
          allowed: learnerAOnly,
        },
        {
          method: 'POST',
          url: `${c}/api/credentials/v1/bulk_learner_cert_status/`,
          payload: [{ username: 'user101', courses: [course.uuid] }],
          allowed: writers,
        },
        {
          method: 'POST',
          url: `${c}/api/credentials/v1/learner_program_status/`,
          payload: { username: 'user101', program_uuid: program.uuid },
          allowed: learnerAOnly,
        },
        { method: 'GET', url: `${c}/api/v2/pathways/`, allowed: writers },
        { method: 'POST', url: `${c}/api/v2/pathways/`, payload: { name: 'New' }, allowed: writers },
        { method: 'GET', url: `${c}/api/v2/pathways/${pathway.id}/`, allowed: writers },
        {
          method: 'PATCH',
          url: `${c}/api/v2/pathways/${pathway.id}/`,
          payload: { org_name: 'U' },
          allowed: writers,
        },
        { method: 'DELETE', url: `${c}/api/v2/pathways/${doomedPathway.id}/`, allowed: writers },
        { method: 'GET', url: `${c}/api/v2/credit_requests/`, allowed: writers },
        { method: 'GET', url: `${c}/records/api/v1/program_records/`, allowed: everyoneSignedIn },
        {
          method: 'GET',
          url: `${c}/records/api/v1/program_records/?username=user101`,
          allowed: learnerAOnly,
        },
        {
          method: 'GET',
          url: `${c}/records/api/v1/program_records/${hex}/?is_public=false`,
          allowed: everyoneSignedIn,
        },
        {
          method: 'GET',
          url: `${c}/records/api/v1/program_records/${hex}/?username=user101`,
          allowed: learnerAOnly,
        },
        {
          method: 'GET',
          url: `${c}/records/api/v1/program_records/${sharedUuid}/?is_public=true`,
          allowed: everyone,
        },
        { method: 'GET', url: sharedPath, allowed: everyone },
        { method: 'GET', url: `${sharedPath}csv`, allowed: everyone },
        {
          method: 'POST',
          url: `${c}/records/programs/${hex}/share`,
          payload: { username: 'user101' },
          allowed: learnerAOnly,
        },
        {
          method: 'POST',
          url: `${c}/records/programs/${hex}/send`,
          payload: { username: 'user101', pathway_id: pathway.id },
          allowed: learnerAOnly,
        },
      ];
    },
  },
  {
    module: 'access-policies',
    cases: async (t, as) => {
      const world = await subsidyWorld(t, as.staff ?? '');
      const api = '/access/api/v1/subsidy-access-policies';
      const readersOfA: Persona[] = ['learnerA', 'adminA', ...operators];
      const post = async (url: string, payload: object) => {
        const res = await t.request({ method: 'POST', url, payload, as: as.operator });
        if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
        return res.json();
      };
      const catalogs = await t.request({
        method: 'GET',
        url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer=${ENTERPRISE_A}`,
        as: as.operator,
      });
      const catalog = catalogs.json().results[0].uuid;
      const group = await post('/enterprise/api/v1/enterprise-group/', {
        enterprise_customer: ENTERPRISE_A,
        name: 'P',
      });
      const payload = (extra: object) => ({
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: catalog,
        subsidy_uuid: world.subsidy.uuid,
        access_method: 'direct',
        active: true,
        spend_limit: 10_000,
        ...extra,
      });
      const policy = await post(`${api}/`, payload({ group_associations: [group.uuid] }));
      const doomed = await post(`${api}/`, payload({ access_method: 'request' }));
      const one = `${api}/${policy.uuid}/`;
      return [
        { method: 'GET', url: `${api}/?enterprise_customer_uuid=${ENTERPRISE_A}`, allowed: readersOfA },
        {
          method: 'POST',
          url: `${api}/`,
          payload: payload({ access_method: 'assigned' }),
          allowed: operators,
        },
        { method: 'GET', url: one, allowed: readersOfA },
        { method: 'PUT', url: one, payload: { display_name: 'Put' }, allowed: operators },
        { method: 'PATCH', url: one, payload: { description: 'Patched' }, allowed: operators },
        // Not the learners: the roster holds their colleagues' emails (issue 16; the reference allows it).
        { method: 'GET', url: `${api}/${policy.uuid}/group-members`, allowed: ['adminA', ...operators] },
        {
          method: 'GET',
          url: `${api}/${policy.uuid}/group-members?format_csv=true`,
          allowed: ['adminA', ...operators],
        },
        {
          method: 'POST',
          url: `${one}deposit-funds/`,
          payload: { desired_deposit_quantity_cents: 500, sales_contract_reference_id: '00k000000000000042' },
          allowed: operators,
        },
        {
          method: 'DELETE',
          url: `/access/api/v1/${ENTERPRISE_A}/delete-group-association/${group.uuid}`,
          allowed: operators,
        },
        { method: 'DELETE', url: `${api}/${doomed.uuid}/`, allowed: operators },
      ];
    },
  },
  {
    module: 'access-redemption',
    cases: async (t, as) => {
      const w = await accessWorld(t, as.staff ?? '');
      const policy = await w.policy('PerLearnerEnrollmentCreditAccessPolicy');
      const A = ENTERPRISE_A;
      const membersOfA: Persona[] = ['learnerA', 'adminA', ...operators];
      const key = encodeURIComponent(w.run.key);
      return [
        {
          method: 'GET',
          url: `/access/api/v1/policy-redemption/enterprise-customer/${A}/can-redeem/?content_key=${key}`,
          allowed: membersOfA,
        },
        {
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          allowed: membersOfA,
        },
        {
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/force-redeem/`,
          payload: { lms_user_id: 101, content_key: w.closed.key, reason: 'matrix check' },
          allowed: operators,
        },
        {
          method: 'GET',
          url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${A}`,
          allowed: membersOfA,
        },
        {
          // learnerA's own credits: admins of A read them (People Management), other learners may not.
          method: 'GET',
          url: `/access/api/v1/policy-redemption/credits_available/?enterprise_customer_uuid=${A}&lms_user_id=101`,
          allowed: ['learnerA', 'adminA', ...operators],
        },
        {
          method: 'GET',
          url: `/access/api/v1/policy-redemption/${policy.uuid}/attempts/`,
          allowed: ['adminA', ...operators],
        },
        {
          method: 'GET',
          url: `/access/api/v1/admin-view/learner_profile/?user_email=learner.a%40example.com&lms_user_id=101&enterprise_customer_uuid=${A}`,
          allowed: ['adminA', ...operators],
        },
      ];
    },
  },
  {
    module: 'assignments',
    cases: async (t, as) => {
      const w = await assignmentsWorld(t, as.staff ?? '');
      const { policy, config } = await w.assignedPolicy(1_000_000);
      const allocate = async (emails: string[]) => {
        const res = await t.request({
          method: 'POST',
          url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
          payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: 10_000 },
          as: as.staff,
        });
        if (res.statusCode !== 202) throw new Error(res.body);
        return res.json().created as Array<{ uuid: string; learner_email: string }>;
      };
      const created = await allocate(['learner.a@example.com', 'm1@example.com', 'm2@example.com']);
      const [own, toCancel, toRemind] = created.map((a) => a.uuid);
      const adminsOfA: Persona[] = ['adminA', ...operators];
      const membersOfA: Persona[] = ['learnerA', ...adminsOfA];
      const configs = '/access/api/v1/assignment-configurations';
      const admin = `${configs}/${config}/admin/assignments`;
      return [
        { method: 'GET', url: `${configs}/?enterprise_customer_uuid=${ENTERPRISE_A}`, allowed: adminsOfA },
        { method: 'GET', url: `${configs}/${config}/`, allowed: adminsOfA },
        {
          method: 'POST',
          url: `${configs}/`,
          payload: { enterprise_customer_uuid: ENTERPRISE_A },
          allowed: operators,
        },
        { method: 'PATCH', url: `${configs}/${config}/`, payload: { active: true }, allowed: operators },
        {
          method: 'POST',
          url: `/access/api/v1/policy-allocation/${policy.uuid}/allocate/`,
          payload: { learner_emails: ['n@example.com'], content_key: w.run.key, content_price_cents: 10_000 },
          allowed: adminsOfA,
        },
        { method: 'GET', url: `${admin}/`, allowed: adminsOfA },
        { method: 'GET', url: `${admin}/${toRemind}/`, allowed: adminsOfA },
        {
          method: 'POST',
          url: `${admin}/remind/`,
          payload: { assignment_uuids: [toRemind] },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${admin}/cancel/`,
          payload: { assignment_uuids: [toCancel] },
          allowed: adminsOfA,
        },
        // Nothing in A is nudgeable: allowed personas get 422, the others 401/403.
        {
          method: 'POST',
          url: `${admin}/nudge/`,
          payload: { assignment_uuids: [toRemind], days_before_course_start_date: 30 },
          allowed: adminsOfA,
        },
        // Filtered to learners that no other case needs (404 once there is nothing left to act on).
        { method: 'POST', url: `${admin}/remind-all/?learner_email=m2@example.com`, allowed: adminsOfA },
        { method: 'POST', url: `${admin}/cancel-all/?learner_email=m2@example.com`, allowed: adminsOfA },
        { method: 'GET', url: `${configs}/${config}/assignments/`, allowed: membersOfA },
        { method: 'GET', url: `${configs}/${config}/assignments/${own}/`, allowed: ['learnerA'] },
        {
          method: 'POST',
          url: `${configs}/${config}/acknowledge-assignments/`,
          payload: { assignment_uuids: [own] },
          // Every member may call it; only the owner's uuids are found (others get 400, not a refusal).
          allowed: membersOfA,
        },
        { method: 'DELETE', url: `${configs}/${config}/`, allowed: operators },
      ];
    },
  },
  {
    module: 'provisioning',
    extraPersonas: ['provisioningAdmin'],
    cases: async (t, as) => {
      const world = await catalogWorld(t, as.staff ?? '');
      const api = '/access/api/v1/provisioning';
      const provisioners: Caller[] = ['provisioningAdmin', ...operators];
      const payload = provisioningRequest('matrix-corp', world.org);
      const res = await t.request({ method: 'POST', url: api, payload, as: as.operator });
      if (res.statusCode !== 201) throw new Error(`provisioning: ${res.body}`);
      const workflow = res.json().workflow_uuid;
      return [
        // The same request again answers with the same records (201) to everyone allowed.
        { method: 'POST', url: api, payload, allowed: provisioners },
        { method: 'GET', url: `${api}/workflows/`, allowed: provisioners },
        { method: 'GET', url: `${api}/workflows/?state=failed`, allowed: provisioners },
        { method: 'GET', url: `${api}/workflows/${workflow}/`, allowed: provisioners },
        { method: 'POST', url: `${api}/workflows/${workflow}/resume/`, allowed: provisioners },
      ];
    },
  },
  {
    module: 'requests',
    cases: async (t, as) => {
      const w = await requestsWorld(t, as);
      const A = ENTERPRISE_A;
      const adminsOfA: Persona[] = ['adminA', ...operators];
      const membersOfA: Persona[] = ['learnerA', ...adminsOfA];
      const ask = async (userId: number) => {
        const res = await w.ask(
          userId === 101 ? as.learnerA : await w.learnerToken(userId, `m${userId}@example.com`),
        );
        if (res.statusCode !== 201) throw new Error(res.body);
        return res.json().uuid as string;
      };
      const approve = async (uuid: string) => {
        const res = await w.post(as.staff, 'approve', {
          learner_credit_request_uuids: [uuid],
          policy_uuid: w.policy.uuid,
        });
        if (res.statusCode !== 200) throw new Error(res.body);
      };
      const [own, toDecline, toRemind, toApprove] = [
        await ask(101),
        await ask(103),
        await ask(104),
        await ask(105),
      ];
      await approve(own);
      await approve(toRemind);
      const configs = '/access/api/v1/customer-configurations';
      const created = await t.request({
        method: 'POST',
        url: `${configs}/`,
        as: as.staff,
        payload: { enterprise_customer_uuid: A, subsidy_requests_enabled: false },
      });
      if (created.statusCode !== 201) throw new Error(created.body);
      const api = '/access/api/v1/learner-credit-requests';
      const key = encodeURIComponent(w.course.key);
      return [
        { method: 'GET', url: `${api}/`, allowed: everyoneSignedIn },
        {
          method: 'POST',
          url: `${api}/`,
          payload: { policy_uuid: w.policy.uuid, course_id: w.course.key, course_price: 10_000 },
          allowed: membersOfA,
        },
        { method: 'GET', url: `${api}/overview/?enterprise_customer_uuid=${A}`, allowed: adminsOfA },
        { method: 'GET', url: `${api}/${own}/`, allowed: membersOfA },
        {
          method: 'POST',
          url: `${api}/approve/`,
          payload: { learner_credit_request_uuids: [toApprove], policy_uuid: w.policy.uuid },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/approve-all/`,
          payload: { policy_uuid: w.policy.uuid },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/decline/`,
          payload: { subsidy_request_uuid: toDecline, send_notification: true },
          allowed: adminsOfA,
        },
        {
          method: 'POST',
          url: `${api}/remind/`,
          payload: { learner_credit_request_uuid: toRemind },
          allowed: adminsOfA,
        },
        { method: 'POST', url: `${api}/cancel/`, payload: { request_uuid: own }, allowed: adminsOfA },
        {
          method: 'GET',
          url: `/access/api/v1/policy-redemption/enterprise-customer/${A}/can-request/?content_key=${key}`,
          allowed: membersOfA,
        },
        { method: 'GET', url: `${configs}/?enterprise_customer_uuid=${A}`, allowed: adminsOfA },
        { method: 'GET', url: `${configs}/${A}/`, allowed: membersOfA },
        {
          method: 'POST',
          url: `${configs}/`,
          payload: { enterprise_customer_uuid: A, subsidy_requests_enabled: false },
          allowed: adminsOfA,
        },
        {
          method: 'PATCH',
          url: `${configs}/${A}/`,
          payload: { subsidy_type: 'license' },
          allowed: adminsOfA,
        },
        {
          method: 'PATCH',
          url: `/access/api/v1/subsidy-access-policies/${w.policy.uuid}/`,
          payload: { bnr_enabled: true },
          allowed: operators,
        },
        // License and coupon code requests: Campus has neither, so reads are empty and writes
        // refused with a reason (422), but only after the same authorization as learner credit.
        ...['license-requests', 'coupon-code-requests'].flatMap((path): Case[] => {
          const legacy = `/access/api/v1/${path}`;
          const uuids = [crypto.randomUUID()];
          return [
            { method: 'GET', url: `${legacy}/`, allowed: everyoneSignedIn },
            { method: 'GET', url: `${legacy}/?enterprise_customer_uuid=${A}`, allowed: membersOfA },
            { method: 'GET', url: `${legacy}/overview/?enterprise_customer_uuid=${A}`, allowed: adminsOfA },
            {
              method: 'POST',
              url: `${legacy}/`,
              payload: { enterprise_customer_uuid: A, course_id: w.course.key },
              allowed: membersOfA,
            },
            {
              method: 'POST',
              url: `${legacy}/approve/`,
              payload:
                path === 'license-requests'
                  ? {
                      subsidy_request_uuids: uuids,
                      subscription_plan_uuid: uuids[0],
                      enterprise_customer_uuid: A,
                    }
                  : { subsidy_request_uuids: uuids, coupon_id: 1, enterprise_customer_uuid: A },
              allowed: adminsOfA,
            },
            {
              method: 'POST',
              url: `${legacy}/decline/`,
              payload: { subsidy_request_uuids: uuids, enterprise_customer_uuid: A },
              allowed: adminsOfA,
            },
          ];
        }),
      ];
    },
  },
  {
    module: 'history',
    cases: async (t, as) => {
      const w = await requestsWorld(t, as);
      const asked = await w.ask(as.learnerA);
      if (asked.statusCode !== 201) throw new Error(asked.body);
      const request = asked.json().uuid as string;
      const approved = await w.post(as.staff, 'approve', {
        learner_credit_request_uuids: [request],
        policy_uuid: w.policy.uuid,
      });
      if (approved.statusCode !== 200) throw new Error(approved.body);
      const view = await t.request({
        method: 'GET',
        url: `/access/api/v1/learner-credit-requests/${request}/`,
        as: as.staff,
      });
      const assignment = view.json().assignment as string;
      const config = w.policy.assignment_configuration?.uuid ?? '';
      // A change history is for the enterprise's admins and for operators, never its learners.
      const adminsOfA: Persona[] = ['adminA', ...operators];
      return [
        `/access/api/v1/subsidy-access-policies/${w.policy.uuid}/history/`,
        `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/history/`,
        `/access/api/v1/assignment-configurations/${config}/admin/assignments/${assignment}/history/`,
        `/access/api/v1/learner-credit-requests/${request}/history/`,
        `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/history/`,
      ].map((url) => ({ method: 'GET' as const, url, allowed: adminsOfA }));
    },
  },
  {
    // The learner portal's BFF: the customer's learners see their own context, its admins and
    // operators see it as the "staff" customer; anyone else naming it by uuid is refused.
    module: 'bff',
    cases: async (t, as) => {
      await subsidyWorld(t, as.staff ?? '');
      const linked = await t.request({
        method: 'POST',
        url: `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
        payload: { lms_user_id: 101, username: 'user101', email: 'learner.a@example.com' },
        as: as.operator,
      });
      if (linked.statusCode !== 201) throw new Error(linked.body);
      const ofA: Persona[] = ['learnerA', 'adminA', ...operators];
      return ['dashboard', 'search', 'academy', 'skills-quiz'].map((page) => ({
        method: 'POST' as const,
        url: `/access/api/v1/bffs/learner/${page}/`,
        payload: { enterprise_customer_uuid: ENTERPRISE_A },
        allowed: ofA,
      }));
    },
  },
];

describe.each(blocks)('role matrix: $module', (block) => {
  let t: TestApp;
  let as: Callers;
  let cases: Case[];

  beforeAll(async () => {
    t = await testApp(block.app);
    as = await personas(t);
    for (const extra of block.extraPersonas ?? []) as[extra] = await extraPersonas[extra](t);
    cases = await block.cases(t, as);
  });
  afterAll(() => t.close());

  it('admits exactly the allowed personas to each endpoint', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      for (const persona of Object.keys(as) as Caller[]) {
        const res = await t.request({
          method: c.method,
          url: c.url,
          payload: c.payload as object,
          as: as[persona],
        });
        const refused = res.statusCode === 401 || res.statusCode === 403;
        const allowed = c.allowed.includes(persona);
        const expected = allowed
          ? !refused
          : persona === 'anonymous'
            ? res.statusCode === 401
            : res.statusCode === 403 || res.statusCode === 404;
        if (!expected)
          wrong.push(`${c.method} ${c.url} as ${persona}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
