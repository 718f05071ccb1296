import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas } from '../support/app.js';
import { buildEnterpriseObjects, type EnterpriseObjects } from '../support/enterprise-objects.js';
import { type FuzzPersona, type FuzzRequest, requestArbitrary } from '../support/fuzz-arbitraries.js';
import { type LoggedTestApp, loggedTestApp } from '../support/logged-app.js';
import { loadOperations, mutationRank, type Operation } from '../support/openapi-operations.js';
import { ChangeDetector } from '../support/table-checksum.js';

/**
 * Schema-driven fuzzing of every operation in /openapi.json. For each one, fast-check generates
 * requests from its schemas, valid ones over real objects and hostile ones (missing, extra and
 * wrongly typed fields; empty, 100 kB, NUL and odd unicode strings; negative, zero, huge and
 * fractional numbers; malformed JSON and wrong content types; junk, foreign and deleted path
 * objects; repeated, conflicting and metacharacter-laden query parameters), sent as A's admin, the
 * operator or staff (and now and then A's learner). Every answer must be a documented status,
 * never a 5xx; a 4xx must carry `{detail, error_code}` and change no table.
 *
 * CAMPUS_FUZZ_SEED (default below) and CAMPUS_FUZZ_RUNS (requests per operation) tune a run;
 * CAMPUS_SOAK=1 runs ten times as many; CAMPUS_FUZZ_OP='POST /path/{x}/' runs one operation;
 * CAMPUS_FUZZ_STATS=1 prints each operation's statuses and error codes (how deep the requests got).
 */
const SEED = Number(process.env.CAMPUS_FUZZ_SEED ?? 20_261_123);
const RUNS = Number(process.env.CAMPUS_FUZZ_RUNS ?? 20) * (process.env.CAMPUS_SOAK === '1' ? 10 : 1);
const ONLY = process.env.CAMPUS_FUZZ_OP;

/**
 * Statuses any operation may answer besides the ones it documents
 * (docs/decisions/0017-errors-as-error-codes.md).
 */
const ALWAYS_ALLOWED = new Set([400, 401, 403, 404, 409, 413, 415, 422, 429]);

/**
 * Tables that record refused requests by design, so that a 4xx may add a row to them:
 * redemption_attempts keeps every redeem call, refused or not, for support
 * (docs/decisions/0007-redemption-attempts-audit.md).
 */
const REFUSAL_AUDIT_TABLES = new Set(['redemption_attempts']);

/** A stable per-operation seed: one operation's requests do not depend on which others run. */
function seedOf(op: Operation): number {
  let h = SEED | 0;
  for (const ch of op.id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

const t: LoggedTestApp = await loggedTestApp();
const operations = (await loadOperations(t))
  .filter((op) => !ONLY || op.id === ONLY)
  // Reads first, then writes, then deletes (the enterprise itself last), so that most requests
  // meet a whole world.
  .sort((a, b) => mutationRank(a) - mutationRank(b));

let tokens: Record<FuzzPersona, string | null>;
let objects: EnterpriseObjects['objects'];
let detector: ChangeDetector;

beforeAll(async () => {
  const as = await personas(t);
  tokens = {
    adminA: as.adminA ?? '',
    operator: as.operator ?? '',
    staff: as.staff ?? '',
    learnerA: as.learnerA ?? '',
    anonymous: null,
  };
  objects = (await buildEnterpriseObjects(t, as)).objects;
  // Each persona's first request records its user; after that, requests write only what they do.
  for (const token of Object.values(tokens))
    if (token) await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
  detector = await ChangeDetector.start(t.db);
});
afterAll(() => t.close());

/** A string as it can be read in a report: escaped, long runs and long texts shortened. */
function readable(text: string | undefined, limit = 600): string {
  if (text === undefined) return '(none)';
  const squeezed = JSON.stringify(text).replace(
    /(.)\1{40,}/gu,
    (run, ch: string) => `${ch}<…×${run.length}>`,
  );
  return squeezed.length > limit ? `${squeezed.slice(0, limit)}… (${text.length} chars)` : squeezed;
}

function errorCodeOf(res: LightMyRequestResponse): string {
  try {
    return String(res.json().error_code);
  } catch {
    return '?';
  }
}

function problemsOf(op: Operation, res: LightMyRequestResponse, changed: string[]): string[] {
  const problems: string[] = [];
  const status = res.statusCode;
  if (status >= 500) problems.push(`server error ${status}`);
  else if (!op.responses.has(status) && !ALWAYS_ALLOWED.has(status)) {
    problems.push(`status ${status} is not documented (documented: ${[...op.responses].join(', ')})`);
  }
  if (status >= 400 && status < 500) {
    let body: { detail?: unknown; error_code?: unknown } | undefined;
    try {
      body = res.json();
    } catch {
      problems.push(`a ${status} whose body is not JSON (content-type ${res.headers['content-type']})`);
    }
    // The error shape, unless the operation documents another one for this status (allocate's
    // 422 is enterprise-access's list of reasons, which its client reads, or the error shape).
    const documented = op.responseSchemas.get(status);
    const shapes = documented?.anyOf ?? documented?.oneOf ?? (documented ? [documented] : []);
    const listAllowed = shapes.some((shape) => shape.type === 'array');
    const errorAllowed = shapes.length === 0 || shapes.some((shape) => shape.type !== 'array');
    if (Array.isArray(body)) {
      if (!listAllowed) problems.push(`a ${status} list where {detail, error_code} is documented`);
    } else if (body !== undefined && !errorAllowed) {
      problems.push(`a ${status} that is not the documented list`);
    } else if (body && (typeof body.detail !== 'string' || typeof body.error_code !== 'string')) {
      problems.push(`a ${status} without the error shape {detail, error_code}`);
    }
    const unexpected = changed.filter((table) => !REFUSAL_AUDIT_TABLES.has(table));
    if (unexpected.length > 0) problems.push(`a refused request changed table(s): ${unexpected.join(', ')}`);
  }
  return problems;
}

function report(op: Operation, i: number, req: FuzzRequest, res: LightMyRequestResponse, problems: string[]) {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return [
    `${op.id} — request #${i} (${req.mutation}) as ${req.persona}: ${problems.join('; ')}`,
    `  request:  ${req.method} ${readable(req.url, 400)} ${headers ? `[${headers}]` : ''}`,
    `  body:     ${readable(req.payload)}`,
    `  response: ${res.statusCode} ${readable(res.body, 800)}`,
    ...(res.statusCode >= 500
      ? [`  server:   ${t.serverError(String(res.headers['x-request-id'])) ?? '(nothing logged)'}`]
      : []),
    `  replay:   CAMPUS_FUZZ_SEED=${SEED} CAMPUS_FUZZ_RUNS=${RUNS} CAMPUS_FUZZ_OP='${op.id}' npx vitest run test/reliability/fuzz.test.ts`,
  ].join('\n');
}

describe(`fuzzing every operation (seed ${SEED}, ${RUNS} requests each)`, () => {
  it('has operations to fuzz', () => {
    expect(operations.length).toBeGreaterThan(ONLY ? 0 : 100);
  });

  it('documents every parameter of every path', () => {
    const undocumented = operations.flatMap((op) =>
      op.undocumentedPathParams.map((name) => `${op.id}: {${name}}`),
    );
    expect(undocumented, 'path parameters missing from /openapi.json').toEqual([]);
  });

  it.each(operations)('$id', async (op) => {
    const requests = fc.sample(requestArbitrary(op, objects), { seed: seedOf(op), numRuns: RUNS });
    const failures: string[] = [];
    const statuses: string[] = [];
    for (const [i, req] of requests.entries()) {
      const res = await t.request({
        method: req.method,
        url: req.url,
        headers: req.headers,
        payload: req.payload,
        as: tokens[req.persona],
      });
      statuses.push(`${res.statusCode}${res.statusCode >= 400 ? `:${errorCodeOf(res)}` : ''}`);
      const changed = await detector.changedTables();
      const problems = problemsOf(op, res, changed);
      if (problems.length > 0) failures.push(report(op, i, req, res, problems));
    }
    // The cheap change check skips the checksum when no transaction committed; prove it missed nothing.
    const drift = await detector.driftSinceLastPoint();
    if (drift.length > 0)
      failures.push(`${op.id}: tables changed without a committed transaction: ${drift.join(', ')}`);
    if (process.env.CAMPUS_FUZZ_STATS) console.log(`STATS ${op.id} ${statuses.sort().join(',')}`);
    if (failures.length > 0) {
      expect.fail(
        `${failures.length} of ${requests.length} requests broke the contract:\n\n${failures.join('\n\n')}`,
      );
    }
  });
});
