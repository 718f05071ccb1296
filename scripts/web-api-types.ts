/**
 * Writes web/api-types.d.ts: `npm run web:types`.
 *
 * Builds the app in-process on an empty in-memory PGlite, reads its OpenAPI document and writes,
 * for every API path that a page under web/ names as a string literal (the OpenAPI template, e.g.
 * '/access/api/v1/subsidy-access-policies/{uuid}/'), the TypeScript of each of its operations:
 * the query parameters' names, the JSON body and the 2xx JSON answer. `api()` in web/api.js takes
 * its types from there, so a page reading a field the API no longer has fails `npm run typecheck`.
 * test/web/web-api-types.test.ts regenerates the file and fails when the committed one drifts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenAPIV3_1 } from 'openapi-types';

const root = path.resolve(import.meta.dirname, '..');
const COMMAND = 'npm run web:types';
export const WEB_DIR = path.join(root, 'web');
export const WEB_API_TYPES = path.join(WEB_DIR, 'api-types.d.ts');

/** The methods a page may call, in the order the file lists them. */
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A JSON Schema as zod writes it into the OpenAPI document. */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
  items?: Schema;
  prefixItems?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  [keyword: string]: unknown;
}

const TYPED = new Set([
  'type',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'items',
  'prefixItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
]);
/** Checks on values that TypeScript has no words for. */
const UNTYPED = new Set([
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'description',
  'default',
  'examples',
  'title',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : `'${name.replace(/'/g, "\\'")}'`);
const literal = (value: unknown) =>
  typeof value === 'string'
    ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : JSON.stringify(value);
const union = (members: string[]) => [...new Set(members)].join(' | ') || 'never';
/** Whether a type has a `|` or `&` outside quotes, braces, brackets and angle brackets. */
function isCompound(type: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if ('{[<('.includes(c)) depth++;
    else if ('}]>)'.includes(c)) depth--;
    else if (depth === 0 && (c === '|' || c === '&')) return true;
  }
  return false;
}
/** `T[]`, or `Array<T>` when T is a union or an intersection. */
const arrayOf = (item: string) => (isCompound(item) ? `Array<${item}>` : `${item}[]`);

/**
 * The TypeScript of a JSON Schema. A keyword it does not know is an error rather than a type
 * quietly wider than the API's. Properties an object allows beyond those it names are not typed.
 */
export function schemaType(schema: Schema, indent = '', where = 'schema'): string {
  for (const k of Object.keys(schema)) {
    if (!TYPED.has(k) && !UNTYPED.has(k))
      throw new Error(`${where}: JSON Schema keyword "${k}" is not supported`);
  }
  const inner = (s: Schema, w: string) => schemaType(s, indent, `${where}.${w}`);
  if ('const' in schema) return literal(schema.const);
  if (schema.enum) return union(schema.enum.map(literal));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return union(alternatives.map((s, i) => inner(s, `anyOf[${i}]`)));
  if (schema.allOf) return schema.allOf.map((s, i) => inner(s, `allOf[${i}]`)).join(' & ');
  if (schema.not) {
    if (Object.keys(schema.not).length === 0) return 'never';
    throw new Error(`${where}: "not" is supported only as {not: {}}`);
  }
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  if (!types.length) return 'unknown';
  return union(types.map((t) => typeOf(t, schema, indent, where)));
}

function typeOf(type: string, schema: Schema, indent: string, where: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      if (schema.prefixItems) {
        const items = schema.prefixItems.map((s, i) => schemaType(s, indent, `${where}[${i}]`));
        return `[${items.join(', ')}]`;
      }
      return arrayOf(schema.items ? schemaType(schema.items, indent, `${where}[]`) : 'unknown');
    case 'object':
      return objectType(schema, indent, where);
    default:
      throw new Error(`${where}: JSON Schema type "${type}" is not supported`);
  }
}

function objectType(schema: Schema, indent: string, where: string): string {
  const extra = schema.additionalProperties;
  const rest =
    typeof extra === 'object'
      ? `Record<${schema.propertyNames ? schemaType(schema.propertyNames, indent, `${where}.propertyNames`) : 'string'}, ${schemaType(extra, indent, `${where}.*`)}>`
      : null;
  const properties = Object.entries(schema.properties ?? {});
  if (!properties.length) return rest ?? 'Record<string, unknown>';
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = properties.map(
    ([name, s]) =>
      `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${schemaType(s, inner, `${where}.${name}`)};`,
  );
  const object = `{\n${lines.join('\n')}\n${indent}}`;
  return rest ? `${object} & ${rest}` : object;
}

type Operation = OpenAPIV3_1.OperationObject;

function operationType(route: string, method: string, op: Operation, indent: string): string {
  const where = `${method.toUpperCase()} ${route}`;
  const parameters = (op.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
  const query = union(parameters.filter((p) => p.in === 'query').map((p) => literal(p.name)));
  const requestBody = op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const bodySchema = requestBody?.content['application/json']?.schema as Schema | undefined;
  const body = bodySchema ? schemaType(bodySchema, `${indent}  `, `${where} body`) : 'never';
  const answers = Object.entries(op.responses ?? {})
    .filter(([status]) => /^2\d\d$/.test(status))
    .map(([status, response]) => {
      const schema = (response as OpenAPIV3_1.ResponseObject).content?.['application/json']?.schema;
      return schema ? schemaType(schema as Schema, `${indent}  `, `${where} ${status}`) : 'null';
    });
  const inner = `${indent}  `;
  return [
    '{',
    `${inner}query: ${query};`,
    `${inner}body: ${body};`,
    `${inner}response: ${union(answers)};`,
    `${indent}}`,
  ].join('\n');
}

/** The API paths the pages name: every string literal of their sources that is a path of the document. */
export function pathsNamed(document: OpenAPIV3_1.Document, sources: string[]): string[] {
  const documented = new Set(Object.keys(document.paths ?? {}));
  const named = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/(['"`])(\/[^'"`$\s]*)\1/g)) {
      if (documented.has(match[2]!)) named.add(match[2]!);
    }
  }
  return [...named].sort();
}

/** The text of web/api-types.d.ts for a document and the pages' sources. */
export function renderWebApiTypes(document: OpenAPIV3_1.Document, sources: string[]): string {
  const entries = pathsNamed(document, sources).map((route) => {
    const item = document.paths?.[route] ?? {};
    const operations = METHODS.filter((m) => item[m]).map(
      (m) => `    ${m.toUpperCase()}: ${operationType(route, m, item[m] as Operation, '    ')};`,
    );
    return `  ${literal(route)}: {\n${operations.join('\n')}\n  };`;
  });
  return [
    `// Generated by \`${COMMAND}\` (scripts/web-api-types.ts) from the app's /openapi.json: do not edit.`,
    '// Every operation of each API path that a page under web/ names: its query parameters, its JSON',
    '// body and its 2xx JSON answer (null when it has none). web/api.js types `api()` with it.',
    '',
    'export interface paths {',
    ...entries,
    '}',
    '',
  ].join('\n');
}

/** The sources of the pages: every .js file under web/. */
export async function webSources(dir = WEB_DIR): Promise<{ file: string; text: string }[]> {
  const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js')).sort();
  return Promise.all(
    files.map(async (file) => ({ file, text: await fs.readFile(path.join(dir, file), 'utf8') })),
  );
}

/** The OpenAPI document of an app built on an empty in-memory database. */
async function openApiDocument(): Promise<OpenAPIV3_1.Document> {
  const { default: pino } = await import('pino');
  const { buildApp } = await import('../src/app.js');
  const { testConfig } = await import('../src/config.js');
  const { openPglite } = await import('../src/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const db = await openPglite('memory://');
  try {
    await migrateToLatest(db);
    const app = await buildApp({ db, config: testConfig(), logger: pino({ level: 'silent' }) });
    try {
      return app.swagger() as OpenAPIV3_1.Document;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

async function main() {
  const sources = (await webSources()).map((s) => s.text);
  const text = renderWebApiTypes(await openApiDocument(), sources);
  const current = await fs.readFile(WEB_API_TYPES, 'utf8').catch(() => null);
  if (current === text) return;
  await fs.writeFile(WEB_API_TYPES, text);
  console.log(`wrote ${path.relative(root, WEB_API_TYPES)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
