import fc from 'fast-check';
import type { EnterpriseObjects, Kind } from './enterprise-objects.js';
import { FIELD_KINDS, PATH_PARAMS } from './enterprise-objects.js';
import type { JsonSchema, Operation, Parameter } from './openapi-operations.js';
import { paramKeys } from './openapi-operations.js';

/**
 * Values for an operation's parameters and body, read from its schema in /openapi.json and filled,
 * where a field's name says what it carries, with the objects of the test world: the valid half of
 * the fuzzer, and the requests the cross-enterprise matrix sends.
 */

export type Objects = EnterpriseObjects['objects'];

// ---------------------------------------------------------------------------------------------
// Values that resolve: the world's objects, by the name of the field or parameter carrying them

function hints(objects: Objects): Record<string, string[]> {
  const a = (kind: Kind) => objects[kind].a;
  const emails = [
    'learner.a@example.com',
    'admin.a@example.com',
    'member5001@example.com',
    'someone@example.com',
  ];
  const runs = a('run');
  const courses = a('course');
  return {
    content_key: [...runs, ...courses],
    content_key__in: [...runs, ...courses],
    course_run_key: runs,
    course_run: runs,
    course_runs: runs,
    course_run_ids: runs,
    course_id: [...courses, ...runs],
    course: courses,
    courses: [...courses],
    key: courses,
    keys: [...courses, ...runs],
    key_for_reruns: courses,
    org: a('organization'),
    organization: a('organization'),
    program_uuid: a('program'),
    program_uuids: a('program'),
    programs: a('program'),
    pathway_id: a('pathway'),
    username: ['user101', 'user102', 'member5001'],
    email: emails,
    emails,
    learner_emails: emails,
    learner_email: emails,
    learner_email__in: emails,
    user_email: emails,
    user__email: emails,
    mode: ['verified', 'audit', 'professional'],
    seat_type: ['verified', 'audit'],
    type: [...a('courseType'), 'xseries'],
    run_type: a('runType'),
    course_type: a('courseType'),
    certificate_type: ['verified', 'professional'],
    sales_contract_reference_provider: ['salesforce_opportunity_line_item'],
  };
}

const numericHints: Record<string, number[]> = {
  lms_user_id: [101, 102, 5001],
  lms_user_ids: [101, 5001],
  lms_user_id__in: [101, 5001],
  admin_lms_user_id: [102],
};

/** Every uuid the world holds, of any kind and enterprise, deleted ones included. */
function knownUuids(objects: Objects): string[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return Object.values(objects)
    .flatMap((o) => [...o.a, o.b, o.deleted])
    .filter((v): v is string => typeof v === 'string' && uuid.test(v));
}

/** A's objects of a kind, mostly; sometimes another enterprise's or a deleted one. */
function ofKind(objects: Objects, kind: Kind): fc.Arbitrary<string> {
  const o = objects[kind];
  const others = [o.b, o.deleted].filter((v): v is string => typeof v === 'string');
  return others.length === 0
    ? fc.constantFrom(...o.a)
    : fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...o.a) },
        { weight: 1, arbitrary: fc.constantFrom(...others) },
      );
}

// ---------------------------------------------------------------------------------------------
// Schema → values

export interface Generators {
  /** A value the schema accepts (near enough: generated, not proven), with real objects where names say so. */
  valid(schema: JsonSchema, name?: string): fc.Arbitrary<unknown>;
  /** Values for a path parameter of an operation: A's object of the named kind. */
  pathValue(op: Operation, param: Parameter): fc.Arbitrary<string>;
  /**
   * One deterministic value the schema accepts: required fields, fields that name an enterprise
   * or one of its objects (FIELD_KINDS, filled with A's), and fields with a known real value.
   */
  minimal(schema: JsonSchema, name?: string): unknown;
  /** Whether a field or parameter of this name has known real values (a content key, an email, ...). */
  hasRealValues(name: string): boolean;
}

export function typesOf(schema: JsonSchema): string[] {
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf ?? []).flatMap(typesOf);
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  return [];
}

export function generators(objects: Objects): Generators {
  const named = hints(objects);
  const uuids = knownUuids(objects);

  const str = (schema: JsonSchema, name: string | undefined): fc.Arbitrary<string> => {
    const hinted = name ? named[name] : undefined;
    const kind = name ? FIELD_KINDS[name] : undefined;
    let base: fc.Arbitrary<string>;
    switch (schema.format) {
      case 'uuid':
        base = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...uuids) }, fc.uuid({ version: 4 }));
        break;
      case 'date-time':
        base = fc
          .date({
            min: new Date('2020-01-01T00:00:00Z'),
            max: new Date('2030-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
        break;
      case 'date':
        base = fc
          .date({
            min: new Date('2020-01-01T00:00:00Z'),
            max: new Date('2030-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().slice(0, 10));
        break;
      case 'email':
        base = fc.oneof(
          fc.constantFrom('learner.a@example.com', 'admin.a@example.com', 'someone@example.com'),
          fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}@example\.(com|org)$/),
        );
        break;
      case 'uri':
        base = fc.constantFrom('https://example.com/a', 'http://localhost:2000/x?y=1');
        break;
      default: {
        const min = schema.minLength ?? 0;
        const max = Math.max(min, Math.min(schema.maxLength ?? 24, 24));
        base = fc.string({ minLength: min, maxLength: max });
        if (schema.pattern) {
          try {
            base = fc.oneof(base, fc.stringMatching(new RegExp(schema.pattern)));
          } catch {
            // A pattern JavaScript cannot compile: plain strings it is.
          }
        }
      }
    }
    if (kind) return fc.oneof({ weight: 4, arbitrary: ofKind(objects, kind) }, base);
    if (hinted && hinted.length > 0)
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hinted) }, base);
    return base;
  };

  const num = (schema: JsonSchema, integer: boolean, name: string | undefined): fc.Arbitrary<number> => {
    const lo = Math.max(
      schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000),
      -1_000_000,
    );
    const hi = Math.max(lo, Math.min(schema.maximum ?? 1_000_000, 1_000_000));
    const base = integer
      ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
      : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
    const hinted = name ? numericHints[name] : undefined;
    return hinted ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hinted) }, base) : base;
  };

  const valid = (schema: JsonSchema, name?: string, depth = 0): fc.Arbitrary<unknown> => {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) return fc.oneof(...branches.map((b) => valid(b, name, depth)));
    if (Array.isArray(schema.type))
      return fc.oneof(...schema.type.map((type) => valid({ ...schema, type }, name, depth)));
    switch (schema.type) {
      case 'string':
        return str(schema, name);
      case 'integer':
        return num(schema, true, name);
      case 'number':
        return num(schema, false, name);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const min = schema.minItems ?? 0;
        const max = Math.max(min, Math.min(schema.maxItems ?? 3, 3));
        const items = schema.items ? valid(schema.items, name, depth + 1) : fc.jsonValue({ maxDepth: 1 });
        return fc.array(items, { minLength: min, maxLength: max });
      }
      case 'object': {
        const props = schema.properties ?? {};
        if (Object.keys(props).length === 0) {
          if (typeof schema.additionalProperties === 'object' && depth < 3) {
            return fc.dictionary(
              fc.string({ minLength: 1, maxLength: 8 }),
              valid(schema.additionalProperties, undefined, depth + 1),
              {
                maxKeys: 3,
              },
            );
          }
          return fc.constant({});
        }
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, sub] of Object.entries(props)) record[key] = valid(sub, key, depth + 1);
        return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
      }
      default:
        return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
    }
  };

  const pathValue = (op: Operation, param: Parameter): fc.Arbitrary<string> => {
    const key = paramKeys(op).find((k) => k.endsWith(`/{${param.name}}`));
    const kind = key ? PATH_PARAMS[key] : undefined;
    if (kind) return fc.constantFrom(...objects[kind].a);
    return valid(param.schema, param.name).map((v) => String(v));
  };

  const minimal = (schema: JsonSchema, name?: string, depth = 0): unknown => {
    const kind = name ? FIELD_KINDS[name] : undefined;
    const types = typesOf(schema);
    if (kind && types.includes('string')) return objects[kind].a[0];
    if (kind && types.includes('array')) return [objects[kind].a[0]];
    if (schema.const !== undefined) return schema.const;
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) {
      const first = branches.find((b) => !typesOf(b).includes('null')) ?? branches[0];
      return first ? minimal(first, name, depth) : null;
    }
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    const hinted = name ? named[name] : undefined;
    switch (type) {
      case 'string':
        if (hinted?.[0]) return hinted[0];
        if (name && numericHints[name]) return String(numericHints[name][0]);
        if (schema.format === 'uuid') return uuids[0];
        if (schema.format === 'date-time') return '2026-09-01T00:00:00Z';
        if (schema.format === 'date') return '2026-09-01';
        if (schema.format === 'email') return 'someone@example.com';
        if (schema.format === 'uri') return 'https://example.com/a';
        return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
      case 'integer':
      case 'number': {
        const hint = name ? numericHints[name]?.[0] : undefined;
        if (hint !== undefined) return hint;
        const lo =
          schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
        return Math.min(Math.max(10_000, lo), schema.maximum ?? 10_000);
      }
      case 'boolean':
        return false;
      case 'null':
        return null;
      case 'array': {
        const n = schema.minItems ?? 0;
        const item = schema.items ?? {};
        if (n === 0 && !(hinted && typesOf(item).includes('string'))) return [];
        return Array.from({ length: Math.max(n, 1) }, () => minimal(item, name, depth + 1));
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, sub] of Object.entries(schema.properties ?? {})) {
          // Required fields, fields naming an enterprise's object, and fields whose name says
          // what real value they take (a content key, a learner's email): optional ones too,
          // since some routes need one of several optional fields.
          const wanted = (schema.required ?? []).includes(key) || key in FIELD_KINDS || key in named;
          if (wanted) out[key] = minimal(sub, key, depth + 1);
        }
        return out;
      }
      default:
        return {};
    }
  };

  return {
    valid: (schema, name) => valid(schema, name),
    pathValue,
    minimal: (schema, name) => minimal(schema, name),
    hasRealValues: (name) => name in named || name in numericHints,
  };
}

export interface QueryPair {
  name: string;
  value: string;
  raw?: boolean;
}

/**
 * Percent-encodes the UTF-8 bytes of a string. Unlike encodeURIComponent it takes any string: a
 * lone surrogate (which no URL can carry) becomes U+FFFD, as it would on the wire.
 */
export function encodeComponent(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(byte)) && byte < 0x80
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

export function encodeQuery(pairs: QueryPair[]): string {
  if (pairs.length === 0) return '';
  return `?${pairs
    .map((p) => (p.raw ? `${p.name}=${p.value}` : `${encodeComponent(p.name)}=${encodeComponent(p.value)}`))
    .join('&')}`;
}

export function stringifyParam(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The one request that points an operation at A's objects: each path parameter is A's object of
 * the kind PATH_PARAMS names; query parameters that are required, name an enterprise's object or
 * take a known real value are set; the body is `minimal` (required fields, A's objects, real values).
 * Throws for a path parameter PATH_PARAMS does not know.
 */
export function minimalParts(op: Operation, objects: Objects) {
  const g = generators(objects);
  const keys = paramKeys(op);
  const path: Record<string, { value: string; raw: boolean }> = {};
  for (const p of op.pathParams) {
    const key = keys.find((k) => k.endsWith(`/{${p.name}}`)) ?? '';
    const kind = PATH_PARAMS[key];
    if (!kind) throw new Error(`${op.id}: path parameter ${key} is not in PATH_PARAMS`);
    path[p.name] = { value: objects[kind].a[0] ?? '', raw: false };
  }
  const query: QueryPair[] = op.queryParams
    .filter((p) => p.required || FIELD_KINDS[p.name] || g.hasRealValues(p.name))
    .map((p) => {
      const value = g.minimal(p.schema, p.name);
      return { name: p.name, value: stringifyParam(Array.isArray(value) ? value[0] : value) };
    });
  return { path, query, body: op.body ? g.minimal(op.body) : undefined };
}

/** The minimal request (see minimalParts) as method, url and JSON payload. */
export function minimalRequest(op: Operation, objects: Objects) {
  const parts = minimalParts(op, objects);
  const url =
    op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeComponent(parts.path[name]?.value ?? '')) +
    encodeQuery(parts.query);
  return {
    method: op.method,
    url,
    payload: parts.body === undefined ? undefined : JSON.stringify(parts.body),
  };
}
