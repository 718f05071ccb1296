import fc from 'fast-check';
import { PATH_PARAMS } from './enterprise-objects.js';
import type { JsonSchema, Operation } from './openapi-operations.js';
import { paramKeys } from './openapi-operations.js';
import {
  encodeComponent,
  encodeQuery,
  generators,
  minimalParts,
  type Objects,
  type QueryPair,
  stringifyParam,
  typesOf,
} from './schema-values.js';

/**
 * Who sends a fuzzed request: A's admin mostly; the operator and staff for the routes only they
 * may call; now and then A's learner, whose narrower scope takes other code paths.
 */
export type FuzzPersona = 'adminA' | 'operator' | 'staff' | 'learnerA' | 'anonymous';

/** One generated request, ready for `app.inject`, with what was done to it. */
export interface FuzzRequest {
  persona: FuzzPersona;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  /** The raw body (so that it can be malformed JSON), or none. */
  payload?: string;
  /** What this request does to the operation's contract, e.g. `body:wrong-type at .spend_limit`. */
  mutation: string;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const HUGE = 'a'.repeat(100_000);

/** Strings that break naive code: empty, 100 kB, NUL bytes, odd unicode, SQL and JSON-path metacharacters. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      HUGE,
      '\u0000',
      'a\u0000b',
      '\uD800',
      '\uDFFF\uD800',
      '\uFFFE\uFFFF',
      '😀'.repeat(300),
      'e\u0301\u0301\u0301',
      '\u202Egnp.exe',
      'İıſK',
      '\r\n\t\v\f',
      "' OR '1'='1",
      "'; drop table subsidy_access_policies; --",
      '") or true --',
      "' || pg_sleep(5) || '",
      '%',
      '%%',
      '_',
      '\\',
      '\\x00',
      "E'\\\\'",
      '$$',
      '$1',
      '$.a[*] ? (@ > 1)',
      '$..*',
      'lax $.** ? (@ like_regex ".*")',
      '->>',
      '#>>{a,b}',
      '@>',
      '{"$ne":null}',
      '{"a":1}',
      '[1,2]',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
      '${7*7}',
      '{{7*7}}',
      '<script>alert(1)</script>',
      '../../../../etc/passwd',
      'null',
      'undefined',
      'NaN',
      'Infinity',
      '-1',
      '1e309',
      '0x10',
      ' 1 ',
      'true',
      '9'.repeat(400),
      'course-v1:\u0000+x+y',
      'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\u0000',
      // Object.prototype's names: an allow-list looked up with `in` or `[]` accepts them.
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'prototype',
      '-constructor',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

/** Numbers that break integer code: negative, zero, fractional, past int4/int8/safe-integer limits. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    0.5,
    1.5,
    -1.5,
    1e-7,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    // Valid as one amount, but a sum with it leaves the exactly representable range.
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER - 1,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    1e20,
    1e300,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Number tokens JSON.stringify cannot write; put into a body as raw text. */
const RAW_TOKENS = [
  '1e400',
  '-1e400',
  '1.0',
  '1E2',
  '-0',
  '0.00000000000000000001',
  '123456789012345678901234567890',
];
const rawToken = (token: string) => `\u0001raw:${token}\u0001`;

/** 100,000 nested arrays (no quotes, so it travels as a raw token): code that recurses overflows. */
const DEEP_JSON = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

/** Items of a huge array, each different (deduplication must not shrink it) and of the item's type. */
const HUGE_ARRAY_LENGTH = 40_000;
function hugeArrayLike(sample: unknown): unknown[] {
  const make = (i: number): unknown => {
    if (typeof sample === 'number') return i;
    if (typeof sample !== 'string') return sample;
    if (sample.includes('@')) return `fuzz${i}@example.com`;
    if (/^[0-9a-f]{8}-/i.test(sample)) return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return `${sample.slice(0, 8)}${i}`;
  };
  return Array.from({ length: HUGE_ARRAY_LENGTH }, (_, i) => make(i));
}

/** Values of every JSON type, for a field that expects another one. */
const wrongType: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  true,
  false,
  0,
  -1,
  1.5,
  'text',
  '',
  [],
  [null],
  {},
  { nested: { deeper: [1, 'two'] } },
);

// ---------------------------------------------------------------------------------------------
// Mutations

interface Slot {
  path: Array<string | number>;
  schema: JsonSchema | undefined;
}

/** Every place in a value where a mutation can land (the root, each property, each item). */
function slotsOf(value: unknown, schema: JsonSchema | undefined, path: Array<string | number> = []): Slot[] {
  const slots: Slot[] = [{ path, schema }];
  const branch = (v: unknown): JsonSchema | undefined => {
    const options = schema?.anyOf ?? schema?.oneOf;
    if (!options) return schema;
    return (
      options.find((o) =>
        typesOf(o).includes(
          Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v,
        ),
      ) ?? options[0]
    );
  };
  const s = branch(value);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) slots.push(...slotsOf(item, s?.items, [...path, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value))
      slots.push(...slotsOf(v, s?.properties?.[key], [...path, key]));
  }
  return slots;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

const at = (path: Array<string | number>) => (path.length === 0 ? '(root)' : `.${path.join('.')}`);

function serialize(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  // Raw tokens travel as marked strings through JSON.stringify and are unquoted here.
  text = text.replace(/"\\u0001raw:([^"\\]*)\\u0001"/g, '$1');
  return text;
}

type BodyMutation =
  | { body: unknown; mutation: string }
  | { raw: string; contentType: string | null; mutation: string };

function mutateBody(op: Operation, valid: fc.Arbitrary<unknown>): fc.Arbitrary<BodyMutation> {
  const schema = op.body;
  const structural = valid.chain((body) => {
    const slots = slotsOf(body, schema);
    const slot = fc.constantFrom(...slots);
    const objectSlots = slots.filter((s) => {
      const v = s.path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], body);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    const required = slots.filter((s) => s.path.length > 0);
    const arraySlots = slots.filter((s) =>
      Array.isArray(s.path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], body)),
    );
    // Hostile strings and numbers land where the schema expects a string or a number, mostly.
    const typed = (...types: string[]) => {
      const matching = slots.filter((s) => s.schema && typesOf(s.schema).some((t) => types.includes(t)));
      return matching.length > 0
        ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...matching) }, slot)
        : slot;
    };
    const options: Array<fc.Arbitrary<BodyMutation>> = [
      fc
        .tuple(slot, wrongType)
        .map(([s, v]) => ({ body: setAt(body, s.path, v), mutation: `body:wrong-type at ${at(s.path)}` })),
      fc.tuple(typed('string'), hostileString).map(([s, v]) => ({
        body: setAt(body, s.path, v),
        mutation: `body:hostile-string at ${at(s.path)}`,
      })),
      fc.tuple(typed('integer', 'number'), hostileNumber).map(([s, v]) => ({
        body: setAt(body, s.path, v),
        mutation: `body:hostile-number at ${at(s.path)}`,
      })),
      fc.tuple(typed('integer', 'number'), fc.constantFrom(...RAW_TOKENS)).map(([s, v]) => ({
        body: setAt(body, s.path, rawToken(v)),
        mutation: `body:raw-number ${v} at ${at(s.path)}`,
      })),
      fc.tuple(typed('object', 'array'), fc.constant(DEEP_JSON)).map(([s, v]) => ({
        body: setAt(body, s.path, rawToken(v)),
        mutation: `body:deep-json (100,000 levels) at ${at(s.path)}`,
      })),
    ];
    if (arraySlots.length > 0) {
      options.push(
        fc.constantFrom(...arraySlots).map((s) => {
          const current = s.path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], body);
          return {
            body: setAt(body, s.path, hugeArrayLike((current as unknown[])[0] ?? 'x')),
            mutation: `body:huge-array (${HUGE_ARRAY_LENGTH} items) at ${at(s.path)}`,
          };
        }),
      );
    }
    if (required.length > 0) {
      options.push(
        fc.constantFrom(...required).map((s) => ({
          body: setAt(body, s.path, undefined, true),
          mutation: `body:missing ${at(s.path)}`,
        })),
      );
    }
    if (objectSlots.length > 0) {
      options.push(
        fc
          .tuple(
            fc.constantFrom(...objectSlots),
            fc.constantFrom(
              'unexpected_field',
              'id',
              'uuid',
              'created',
              'enterprise_customer_uuid',
              'is_staff',
            ),
            wrongType,
          )
          .map(([s, key, v]) => ({
            body: setAt(body, [...s.path, key], v),
            mutation: `body:extra ${at([...s.path, key])}`,
          })),
      );
    }
    return fc.oneof(...options);
  });
  const raw: fc.Arbitrary<BodyMutation> = fc.oneof(
    fc
      .constantFrom(
        '{',
        '{"a":',
        "{'a':1}",
        '{a:1}',
        '[1,2',
        'nul',
        '{"a":1}}',
        '{"a":1,}',
        '\u0000',
        '"unterminated',
        '{"a":"\\u00zz"}',
        '{"a":"\\ud800"}',
        '{"__proto__":{"is_staff":true}}',
        '{"constructor":{"prototype":{"is_staff":true}}}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
        '',
        ' ',
        '\ufeff{}',
      )
      .map((text) => ({ raw: text, contentType: 'application/json', mutation: 'raw:malformed-json' })),
    valid.chain((body) =>
      fc
        .constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/xml',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'application/jsonx',
          'application/octet-stream',
          '*/*',
          'application/json, text/plain',
          null,
        )
        .map((contentType) => ({
          raw: serialize(body),
          contentType,
          mutation: `raw:content-type ${contentType}`,
        })),
    ),
    fc.constantFrom('[]', '"text"', '42', 'null', 'true', '[{}]').map((text) => ({
      raw: text,
      contentType: 'application/json',
      mutation: 'raw:not-an-object',
    })),
  );
  const oversized: fc.Arbitrary<BodyMutation> = fc.constant({
    raw: `{"a":"${'x'.repeat(1_100_000)}"}`,
    contentType: 'application/json',
    mutation: 'raw:oversized (1.1 MB)',
  });
  return fc.oneof(
    { weight: 6, arbitrary: structural },
    { weight: 3, arbitrary: raw },
    { weight: 1, arbitrary: oversized },
  );
}

const junkPathValues = fc.constantFrom(
  'not-a-uuid',
  '0',
  '-1',
  '1.5',
  '99999999999999999999999999',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-4000-8000-000000000000',
  "' OR '1'='1",
  '\u0000',
  '..',
  '.',
  ' ',
  '😀',
  'a'.repeat(600),
  '$.a[*]',
  '%',
  'null',
);

/** Raw (unencoded) path or query text: malformed percent-escapes and traversal. */
const rawJunk = fc.constantFrom('%zz', '%', '%c0%ae%c0%ae', '%2e%2e%2f', '%00', '%E0%A4%A', '..%2F..%2F');

/**
 * Requests for one operation: valid-looking ones over real objects, and ones with a hostile body,
 * path or query. Each says what was done to it.
 */
export function requestArbitrary(op: Operation, objects: Objects): fc.Arbitrary<FuzzRequest> {
  const g = generators(objects);
  const persona = fc.oneof(
    { weight: 4, arbitrary: fc.constant<FuzzPersona>('adminA') },
    { weight: 2, arbitrary: fc.constant<FuzzPersona>('operator') },
    { weight: 2, arbitrary: fc.constant<FuzzPersona>('staff') },
    { weight: 1, arbitrary: fc.constant<FuzzPersona>('learnerA') },
  );

  // Two kinds of valid start: the deterministic request at A's objects (minimalRequest: it gets
  // past validation, so mutations of it reach deeper), and freely generated values.
  const minimal = minimalParts(op, objects);
  const validPath = fc.oneof(
    { weight: 2, arbitrary: fc.constant(minimal.path) },
    fc.record(
      Object.fromEntries(
        op.pathParams.map((p) => [p.name, g.pathValue(op, p).map((value) => ({ value, raw: false }))]),
      ),
    ) as fc.Arbitrary<Record<string, { value: string; raw: boolean }>>,
  );
  const validQuery: fc.Arbitrary<QueryPair[]> = fc.oneof(
    { weight: 2, arbitrary: fc.constant(minimal.query) },
    fc
      .tuple(
        ...op.queryParams.map((p) =>
          (p.required
            ? g.valid(p.schema, p.name).map((v) => [v])
            : fc.option(g.valid(p.schema, p.name), { freq: 2 }).map((v) => (v === null ? [] : [v]))
          ).map((vs) =>
            vs
              .flatMap((v) => (Array.isArray(v) ? v : [v]))
              .map((v) => ({ name: p.name, value: stringifyParam(v) })),
          ),
        ),
      )
      .map((lists) => lists.flat()),
  );
  const validBody = op.body
    ? fc.oneof({ weight: 2, arbitrary: fc.constant(minimal.body) }, g.valid(op.body))
    : fc.constant(undefined);

  type Parts = {
    path: Record<string, { value: string; raw: boolean }>;
    query: QueryPair[];
    body: BodyMutation | { body: unknown; mutation: string } | null;
    mutation: string;
    /** A Cookie header, sent without a token. */
    cookie?: string;
  };
  const base = fc.record({ path: validPath, query: validQuery, body: validBody });
  const strategies: Array<{ weight: number; arbitrary: fc.Arbitrary<Parts> }> = [
    {
      weight: 3,
      arbitrary: base.map((b) => ({
        path: b.path,
        query: b.query,
        body: op.body ? { body: b.body, mutation: '' } : null,
        mutation: 'valid',
      })),
    },
  ];
  if (op.body) {
    strategies.push({
      weight: 5,
      arbitrary: fc.tuple(base, mutateBody(op, validBody)).map(([b, body]) => ({
        path: b.path,
        query: b.query,
        body,
        mutation: body.mutation,
      })),
    });
  }
  if (op.pathParams.length > 0) {
    const junk = fc.oneof(
      { weight: 4, arbitrary: junkPathValues.map((value) => ({ value, raw: false, what: 'junk' })) },
      { weight: 1, arbitrary: rawJunk.map((value) => ({ value, raw: true, what: 'raw' })) },
      {
        weight: 3,
        arbitrary: fc.constant(null).map(() => ({ value: '', raw: false, what: 'other' })),
      },
    );
    strategies.push({
      weight: 3,
      arbitrary: fc
        .tuple(
          base,
          fc.constantFrom(...op.pathParams),
          junk,
          fc.constantFrom('b', 'deleted', 'upper', 'nohyphens', 'random'),
          fc.uuid({ version: 4 }),
        )
        .map(([b, param, j, other, random]) => {
          const key = paramKeys(op).find((k) => k.endsWith(`/{${param.name}}`));
          const kind = key ? PATH_PARAMS[key] : undefined;
          let value = j.value;
          let what = j.what;
          if (j.what === 'other') {
            const real = b.path[param.name]?.value ?? '';
            const o = kind ? objects[kind] : undefined;
            value =
              other === 'b' && o?.b
                ? o.b
                : other === 'deleted' && o?.deleted
                  ? o.deleted
                  : other === 'upper'
                    ? real.toUpperCase()
                    : other === 'nohyphens'
                      ? real.replace(/-/g, '')
                      : random;
            what =
              other === 'b' && o?.b
                ? "another enterprise's object"
                : other === 'deleted' && o?.deleted
                  ? 'a deleted object'
                  : other;
          }
          return {
            path: { ...b.path, [param.name]: { value, raw: j.raw } },
            query: b.query,
            body: op.body ? { body: b.body, mutation: '' } : null,
            mutation: `path:${what} {${param.name}}`,
          };
        }),
    });
  }
  const queryMutation: fc.Arbitrary<{ query: QueryPair[]; mutation: string }> = validQuery.chain((query) => {
    const params = op.queryParams;
    const options: Array<fc.Arbitrary<{ query: QueryPair[]; mutation: string }>> = [
      fc
        .constantFrom<QueryPair[]>(
          [{ name: 'unexpected', value: 'x' }],
          [{ name: '__proto__', value: 'x' }],
          [{ name: 'constructor[prototype][is_staff]', value: 'true' }],
          [{ name: 'page[]', value: '1' }],
          [{ name: '', value: '' }],
          [{ name: 'a'.repeat(2000), value: 'b'.repeat(20_000) }],
        )
        .map((extra) => ({ query: [...query, ...extra], mutation: 'query:unknown parameter' })),
      rawJunk.map((junk) => ({
        query: [...query, { name: params[0]?.name ?? 'x', value: junk, raw: true }],
        mutation: 'query:raw escape',
      })),
    ];
    if (params.length > 0) {
      const param = fc.constantFrom(...params);
      options.push(
        fc
          .tuple(
            param,
            fc.array(fc.oneof(hostileString, wrongType.map(stringifyParam)), { minLength: 2, maxLength: 4 }),
          )
          .map(([p, values]) => ({
            query: [
              ...query.filter((q) => q.name !== p.name),
              ...values.map((value) => ({ name: p.name, value })),
            ],
            mutation: `query:repeated ${p.name}`,
          })),
        param.chain((p) =>
          fc.tuple(g.valid(p.schema, p.name), g.valid(p.schema, p.name)).map(([x, y]) => ({
            query: [
              ...query.filter((q) => q.name !== p.name),
              { name: p.name, value: stringifyParam(x) },
              { name: p.name, value: stringifyParam(y) },
            ],
            mutation: `query:conflicting ${p.name}`,
          })),
        ),
        fc
          .tuple(param, fc.oneof(hostileString, hostileNumber.map(String), wrongType.map(stringifyParam)))
          .map(([p, value]) => ({
            query: [...query.filter((q) => q.name !== p.name), { name: p.name, value }],
            mutation: `query:hostile ${p.name}`,
          })),
        hostileString.map((value) => ({
          // Every string filter at once: SQL and JSON-path metacharacters where a query may be built from them.
          query: params
            .filter((p) => typesOf(p.schema).includes('string'))
            .map((p) => ({ name: p.name, value })),
          mutation: 'query:metacharacters in every string filter',
        })),
        param.map((p) => ({
          query: [...query.filter((q) => q.name !== p.name), { name: p.name, value: '' }],
          mutation: `query:empty ${p.name}`,
        })),
      );
      const required = params.filter((p) => p.required);
      if (required.length > 0) {
        options.push(
          fc.constantFrom(...required).map((p) => ({
            query: query.filter((q) => q.name !== p.name),
            mutation: `query:missing ${p.name}`,
          })),
        );
      }
    }
    return fc.oneof(...options);
  });
  strategies.push({
    weight: op.queryParams.length > 0 ? 3 : 1,
    arbitrary: fc.tuple(base, queryMutation).map(([b, q]) => ({
      path: b.path,
      query: q.query,
      body: op.body ? { body: b.body, mutation: '' } : null,
      mutation: q.mutation,
    })),
  });

  // Cookies a browser may carry for other apps on the domain, sent without a token: a cookie
  // header that does not decode must not break authentication (it answered 500).
  const badCookie = fc.constantFrom(
    'other=100%',
    'a=%E0%A4%A; edx-jwt-cookie-header-payload=%zz',
    'edx-jwt-cookie-header-payload=x.y; edx-jwt-cookie-signature=%',
    '=; ;;=;',
  );
  strategies.push({
    weight: 1,
    arbitrary: fc.tuple(base, badCookie).map(([b, cookie]) => ({
      path: b.path,
      query: b.query,
      body: op.body ? { body: b.body, mutation: '' } : null,
      mutation: `header:cookie ${cookie}`,
      cookie,
    })),
  });

  return fc.tuple(persona, fc.oneof(...strategies)).map(([chosen, parts]) => {
    const who: FuzzPersona = parts.cookie === undefined ? chosen : 'anonymous';
    const url =
      op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const v = parts.path[name];
        if (!v) return '';
        return v.raw ? v.value : encodeComponent(v.value);
      }) + encodeQuery(parts.query);
    const headers: Record<string, string> = parts.cookie === undefined ? {} : { cookie: parts.cookie };
    let payload: string | undefined;
    if (parts.body && 'raw' in parts.body) {
      payload = parts.body.raw;
      if (parts.body.contentType !== null) headers['content-type'] = parts.body.contentType;
    } else if (parts.body && parts.body.body !== undefined) {
      payload = serialize(parts.body.body);
      headers['content-type'] = 'application/json';
    }
    return { persona: who, method: op.method, url, headers, payload, mutation: parts.mutation };
  });
}
