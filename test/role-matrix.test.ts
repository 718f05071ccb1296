import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, ENTERPRISE_B, type Persona, personas, type TestApp, testApp } from './support/app.js';

/**
 * Who may call what. Every endpoint appears here with the personas allowed to call it; everyone
 * else must be refused: anonymous with 401, the others with 403 (or 404 where the object is
 * hidden from them). A module adds a block with its own fixtures.
 */
interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  payload?: unknown;
  allowed: Persona[];
}

interface Block {
  module: string;
  /** Creates what the cases need and returns their urls and bodies. */
  cases(t: TestApp, as: Record<Persona, string | null>): Promise<Case[]>;
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
      ];
      return [
        ...reads.map((url) => ({ method: 'GET' as const, url: `${api}${url}`, allowed: everyoneSignedIn })),
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
];

describe.each(blocks)('role matrix: $module', (block) => {
  let t: TestApp;
  let as: Record<Persona, string | null>;
  let cases: Case[];

  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    cases = await block.cases(t, as);
  });
  afterAll(() => t.close());

  it('admits exactly the allowed personas to each endpoint', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      for (const persona of Object.keys(as) as Persona[]) {
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
