import type { TestApp } from './app.js';

/** The subset of JSON Schema that fastify-type-provider-zod writes into /openapi.json. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One operation of /openapi.json, flattened for test generators. */
export interface Operation {
  /** `METHOD /path/{param}/` as written in /openapi.json: the operation's name in reports. */
  id: string;
  method: HttpMethod;
  path: string;
  /** Every `{name}` of the path, documented or not (an undocumented one gets a plain string schema). */
  pathParams: Parameter[];
  /** `{name}`s of the path that the operation does not document as path parameters. */
  undocumentedPathParams: string[];
  queryParams: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body: JsonSchema | undefined;
  bodyRequired: boolean;
  /** The documented status codes. */
  responses: Set<number>;
  /** The documented JSON body of each status, where there is one. */
  responseSchemas: Map<number, JsonSchema>;
  /** No token needed (`security: []`). */
  isPublic: boolean;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  security?: unknown[];
}

/** Every operation the app documents, in document order. */
export async function loadOperations(t: TestApp): Promise<Operation[]> {
  const res = await t.request({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
  const spec = res.json() as { paths: Record<string, Record<string, RawOperation>> };
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([m, op]): Operation => {
      const method = m.toUpperCase() as HttpMethod;
      const params = op.parameters ?? [];
      const documented = params.filter((p) => p.in === 'path');
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      const undocumented = inTemplate.filter((name) => !documented.some((p) => p.name === name));
      return {
        id: `${method} ${path}`,
        method,
        path,
        pathParams: [
          ...documented,
          ...undocumented.map(
            (name): Parameter => ({ name, in: 'path', required: true, schema: { type: 'string' } }),
          ),
        ],
        undocumentedPathParams: undocumented,
        queryParams: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
        bodyRequired: op.requestBody?.required === true,
        responses: new Set(Object.keys(op.responses ?? {}).map(Number)),
        responseSchemas: new Map(
          Object.entries(op.responses ?? {}).flatMap(([status, r]) => {
            const schema = r.content?.['application/json']?.schema;
            return schema ? [[Number(status), schema] as const] : [];
          }),
        ),
        isPublic: Array.isArray(op.security) && op.security.length === 0,
      };
    }),
  );
}

/**
 * Names a path parameter by the static segment before it and its own name, e.g.
 * `subsidy-access-policies/{uuid}` or `assignments/{assignment_uuid}`: `uuid` alone says nothing
 * about what kind of object it names; with the segment it does.
 */
export function paramKeys(op: Operation): string[] {
  const segments = op.path.split('/').filter(Boolean);
  const keys: string[] = [];
  segments.forEach((segment, i) => {
    const m = /^\{(.+)\}$/.exec(segment);
    if (!m) return;
    let before = i - 1;
    while (before >= 0 && /^\{.+\}$/.test(segments[before] ?? '')) before--;
    keys.push(`${segments[before] ?? ''}/{${m[1]}}`);
  });
  return keys;
}

/** Fills `{name}` path parameters, url-encoding each value. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

/** Order for running operations over one shared world: reads, then writes, then deletes. */
export function mutationRank(op: Operation): number {
  if (op.method === 'GET' || op.method === 'OPTIONS') return 0;
  // Deleting an enterprise customer takes everything of it along: last.
  if (op.method === 'DELETE') return /\/enterprise-customer\/\{uuid\}\/$/.test(op.path) ? 3 : 2;
  return 1;
}
