import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Persona, personas, type TestApp, testApp } from './support/app.js';

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
