import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_A, personas } from '../support/app.js';
import {
  buildEnterpriseObjects,
  type EnterpriseObjects,
  FIELD_KINDS,
  KINDS,
  type Kind,
  PATH_PARAMS,
} from '../support/enterprise-objects.js';
import { type LoggedTestApp, loggedTestApp } from '../support/logged-app.js';
import {
  type JsonSchema,
  loadOperations,
  mutationRank,
  type Operation,
  paramKeys,
} from '../support/openapi-operations.js';
import { minimalRequest, typesOf } from '../support/schema-values.js';
import { ChangeDetector } from '../support/table-checksum.js';

/**
 * The cross-enterprise matrix, generated from /openapi.json. Every operation that names an
 * enterprise — in its path, query or body, or through an object of one (a policy, subsidy,
 * catalog, group, configuration, assignment, request, transaction, enrollment) — is called as the
 * admin and as a learner of enterprise B against enterprise A's objects, and must answer 403 or
 * 404 and change nothing. A new route is covered as soon as it is in /openapi.json; a new path
 * parameter fails the first test until PATH_PARAMS (test/support/enterprise-objects.ts) says what
 * it names.
 *
 * Then, so that a refusal means something, the same requests are sent as A's own admin, learner
 * or the operator: none may be refused as malformed (400) or unknown (404).
 */

/**
 * Operations that may answer another enterprise's caller, each with the reason. Keep it short:
 * everything else that names an enterprise must refuse B. Empty today: the public catalog and
 * credentials reads name no enterprise, so they are not in the matrix (and the lists among them
 * are checked below to show B none of A's objects).
 */
const CROSS_ENTERPRISE_READABLE: Record<string, string> = {};

/**
 * The control below sends each request for real, in route order, so an earlier one can move an
 * object on: these refusals then show the request did reach A's object.
 */
const CONTROL_STATE_REFUSALS: Record<string, string> = {
  // approve, sent before, moved A's request out of `requested`.
  'POST /access/api/v1/learner-credit-requests/decline/': 'request_not_declinable',
  // cancel, sent before, cancelled it.
  'POST /access/api/v1/learner-credit-requests/remind/': 'request_not_remindable',
};

/**
 * Operations whose B-side answer is not a refusal but a list filtered to the caller's own
 * enterprises: such an answer is accepted when it shows none of A's objects.
 */
const FILTERED_TO_CALLER: Record<string, string> = {
  // The enterprise core lists only the catalogs and groups of enterprises the caller administers;
  // the filter narrows that list, it does not widen it.
  'GET /enterprise/api/v1/enterprise-catalogs/': 'lists only the caller’s enterprises',
  'GET /enterprise/api/v1/enterprise-group/': 'lists only the caller’s enterprises',
  // enterprise-access: "list visible = own requests OR requests in enterprises where the caller
  // has the requests-admin role".
  'GET /access/api/v1/learner-credit-requests/': 'lists only the caller’s own requests and enterprises',
};

type Who = 'adminB' | 'learnerB';

interface Reference {
  where: 'path' | 'query' | 'body';
  name: string;
  kind: Kind;
}

const t: LoggedTestApp = await loggedTestApp();
const operations = (await loadOperations(t)).sort((a, b) => mutationRank(a) - mutationRank(b));

function bodyReferences(schema: JsonSchema | undefined, depth = 0): Reference[] {
  if (!schema || depth > 4) return [];
  const refs: Reference[] = [];
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    refs.push(...bodyReferences(branch, depth + 1));
  if (schema.items) refs.push(...bodyReferences(schema.items, depth + 1));
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const kind = FIELD_KINDS[name];
    // An id, or a list of ids (a field of that name holding an object is something else).
    const carriesIds =
      typesOf(sub).includes('string') || (sub.items !== undefined && typesOf(sub.items).includes('string'));
    if (kind && carriesIds) refs.push({ where: 'body', name, kind });
    refs.push(...bodyReferences(sub, depth + 1));
  }
  return refs;
}

/** What in an operation names an enterprise, directly or through one of its objects. */
function enterpriseReferences(op: Operation): Reference[] {
  const refs: Reference[] = [];
  for (const key of paramKeys(op)) {
    const kind = PATH_PARAMS[key];
    if (kind && KINDS[kind].scoped) refs.push({ where: 'path', name: key, kind });
  }
  for (const p of op.queryParams) {
    const kind = FIELD_KINDS[p.name];
    if (kind) refs.push({ where: 'query', name: p.name, kind });
  }
  return [...refs, ...bodyReferences(op.body)];
}

const unmapped = operations.flatMap((op) =>
  paramKeys(op)
    .filter((key) => !(key in PATH_PARAMS))
    .map((key) => `${op.id}: path parameter ${key}`),
);
const scoped = operations.filter((op) => !op.isPublic && enterpriseReferences(op).length > 0);
// Lists that name no enterprise: B's answer must not show A's objects.
const unscopedLists = operations.filter(
  (op) =>
    op.method === 'GET' &&
    !op.isPublic &&
    op.pathParams.length === 0 &&
    enterpriseReferences(op).length === 0,
);

let objects: EnterpriseObjects['objects'];
let tokens: Record<'adminA' | 'learnerA' | 'operator' | Who, string>;
let detector: ChangeDetector;
/** A's identifiers that B must never see: A's uuid and the uuids of its objects. */
let secrets: string[];

beforeAll(async () => {
  const as = await personas(t);
  tokens = {
    adminA: as.adminA ?? '',
    learnerA: as.learnerA ?? '',
    operator: as.operator ?? '',
    adminB: as.adminB ?? '',
    learnerB: as.learnerB ?? '',
  };
  objects = (await buildEnterpriseObjects(t, as)).objects;
  for (const token of Object.values(tokens))
    await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
  secrets = (Object.keys(KINDS) as Kind[])
    .filter((kind) => KINDS[kind].scoped && kind !== 'learner')
    .flatMap((kind) => objects[kind].a);
  detector = await ChangeDetector.start(t.db);
});
afterAll(() => t.close());

/** The request that points an operation at A's objects: path, enterprise-naming query and body fields. */
const requestFor = (op: Operation) => minimalRequest(op, objects);

function describeCall(who: string, req: ReturnType<typeof requestFor>, res: LightMyRequestResponse): string {
  const server =
    res.statusCode >= 500 ? ` — server: ${t.serverError(String(res.headers['x-request-id']))}` : '';
  return `as ${who}: ${req.method} ${req.url} ${req.payload ?? ''}\n    -> ${res.statusCode} ${res.body.slice(0, 300)}${server}`;
}

async function send(req: ReturnType<typeof requestFor>, token: string) {
  return t.request({
    method: req.method,
    url: req.url,
    payload: req.payload,
    headers: req.payload === undefined ? {} : { 'content-type': 'application/json' },
    as: token,
  });
}

describe('cross-enterprise matrix (generated from /openapi.json)', () => {
  it('knows what every path parameter names', () => {
    expect(
      unmapped,
      'Add each of these to PATH_PARAMS in test/support/enterprise-objects.ts, mapped to the kind of object it names',
    ).toEqual([]);
  });

  it('finds the operations that name an enterprise', () => {
    expect(scoped.length).toBeGreaterThan(50);
  });

  it.each(scoped)('$id refuses enterprise B and changes nothing', async (op) => {
    const req = requestFor(op);
    const wrong: string[] = [];
    for (const who of ['adminB', 'learnerB'] as const) {
      const res = await send(req, tokens[who]);
      const changed = await detector.changedTables();
      const refused = res.statusCode === 403 || res.statusCode === 404;
      const filtered =
        op.id in FILTERED_TO_CALLER && res.statusCode === 200 && !secrets.some((s) => res.body.includes(s));
      if (!refused && !filtered && !(op.id in CROSS_ENTERPRISE_READABLE)) {
        wrong.push(`not refused ${describeCall(who, req, res)}`);
      }
      if (changed.length > 0) wrong.push(`changed ${changed.join(', ')} ${describeCall(who, req, res)}`);
    }
    expect(wrong, `references: ${JSON.stringify(enterpriseReferences(op))}`).toEqual([]);
  });

  it.each(unscopedLists)('$id shows enterprise B none of A’s objects', async (op) => {
    const req = requestFor(op);
    const leaks: string[] = [];
    for (const who of ['adminB', 'learnerB'] as const) {
      const res = await send(req, tokens[who]);
      const seen = secrets.filter((s) => res.body.includes(s));
      if (res.statusCode < 300 && seen.length > 0)
        leaks.push(`shows ${seen.join(', ')} ${describeCall(who, req, res)}`);
      if (res.statusCode >= 500) leaks.push(describeCall(who, req, res));
    }
    expect(leaks).toEqual([]);
  });

  // After every refusal above (it changes the world: each write is sent for real). A's admin,
  // learner and the operator are tried in turn until one gets through: the request reached A's
  // object (2xx), or a business rule about it refused it (409, 422), or there was nothing left in
  // it to act on (404 no_matching_*, e.g. remind-all after cancel-all).
  it("sends requests that enterprise A's own callers get past validation and lookup with", async () => {
    const bad: string[] = [];
    for (const op of scoped) {
      const req = requestFor(op);
      const tries: string[] = [];
      let through = false;
      for (const who of ['adminA', 'learnerA', 'operator'] as const) {
        const res = await send(req, tokens[who]);
        const code = res.statusCode >= 400 ? String(res.json().error_code ?? '') : '';
        through =
          res.statusCode < 300 ||
          res.statusCode === 409 ||
          res.statusCode === 422 ||
          (res.statusCode === 404 && code.startsWith('no_matching')) ||
          CONTROL_STATE_REFUSALS[op.id] === code;
        if (through) break;
        tries.push(describeCall(who, req, res));
      }
      if (!through) bad.push(`${op.id}\n  ${tries.join('\n  ')}`);
    }
    await detector.reset();
    expect(bad).toEqual([]);
  });

  it('names enterprise A in every generated request that names an enterprise', () => {
    const missing = scoped.filter((op) => {
      const req = requestFor(op);
      return (
        !secrets.some((s) => req.url.includes(s) || (req.payload ?? '').includes(s)) &&
        !req.url.includes(ENTERPRISE_A)
      );
    });
    expect(missing.map((op) => op.id)).toEqual([]);
  });
});
