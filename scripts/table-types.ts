/**
 * Writes the table types from the migrated schema: `npm run db:types`.
 *
 * Migrates an empty in-memory database, reads its catalog, and writes for every owner of tables (a
 * `schema.ts` or `<name>.schema.ts` under src/ exporting `OWNED_TABLES`) a sibling
 * `tables.generated.ts` (`<name>.tables.generated.ts`): one interface per table it owns, the columns
 * as the database has them, and one interface mapping its table names to them. A table no owner
 * lists, or two list, is an error, as is an owned table no migration makes. The output is sorted,
 * so test/foundation/table-types.test.ts can regenerate it and fail when the committed files drift.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, sql } from 'kysely';
import { type Db, openPglite } from '../src/db/db.js';
import { migrateToLatest } from '../src/db/migrate.js';

const root = path.resolve(import.meta.dirname, '..');
const COMMAND = 'npm run db:types';

/** Kysely's own bookkeeping, made by the migrator rather than by a migration. */
const NOT_OWNED = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]);

interface Column {
  table: string;
  name: string;
  typeOid: number;
  notNull: boolean;
  hasDefault: boolean;
  /** pg_attribute.attidentity: 'a' always, 'd' by default, '' none. */
  identity: string;
  /** pg_attribute.attgenerated: 's' stored generated column, '' none. */
  generated: string;
}

interface PgType {
  oid: number;
  name: string;
  /** b base, d domain, e enum, c composite, p pseudo, r range, m multirange. */
  kind: string;
  category: string;
  element: number;
  base: number;
  notNull: boolean;
}

/** TypeScript for a value of a column: as read (select) and as written (insert, update). */
interface TsType {
  select: string;
  write: string;
}

const plain = (ts: string): TsType => ({ select: ts, write: ts });

// What the drivers return for each type. int8 is a number because Campus parses it to one
// (src/db/db.ts); numeric stays a decimal string and accepts a number; JSON is written as text.
const BASE_TYPES: Record<string, TsType> = {
  bool: plain('boolean'),
  int2: plain('number'),
  int4: plain('number'),
  int8: plain('number'),
  float4: plain('number'),
  float8: plain('number'),
  numeric: { select: 'string', write: 'number | string' },
  text: plain('string'),
  varchar: plain('string'),
  bpchar: plain('string'),
  citext: plain('string'),
  uuid: plain('string'),
  time: plain('string'),
  interval: plain('string'),
  date: plain('Date'),
  timestamp: plain('Date'),
  timestamptz: plain('Date'),
  json: { select: 'unknown', write: 'string' },
  jsonb: { select: 'unknown', write: 'string' },
  bytea: plain('Uint8Array'),
};

export interface GeneratedFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Owner {
  /** The schema file, relative to the root. */
  schema: string;
  /** PascalCase name of the owner: `Ledger`, `RateLimit`. */
  name: string;
  output: string;
  tables: readonly string[];
}

/** The files under `dir` whose name passes `wanted`, sorted. */
async function filesUnder(dir: string, wanted: (name: string) => boolean): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full, wanted)));
    else if (wanted(entry.name)) found.push(full);
  }
  return found;
}

const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** The generated files present under src/, committed or stale. */
export async function generatedFilesOnDisk(): Promise<string[]> {
  return (await filesUnder(path.join(root, 'src'), (name) => name.endsWith('tables.generated.ts'))).map(
    relative,
  );
}

const pascal = (snake: string) =>
  snake
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/** Every owner of tables: the schema files under src/ and the tables each lists in OWNED_TABLES. */
export async function readOwners(): Promise<Owner[]> {
  const owners: Owner[] = [];
  const schemas = await filesUnder(
    path.join(root, 'src'),
    (name) => name === 'schema.ts' || name.endsWith('.schema.ts'),
  );
  for (const file of schemas) {
    const schema = relative(file);
    const mod = (await import(pathToFileURL(file).href)) as { OWNED_TABLES?: unknown };
    const tables = mod.OWNED_TABLES;
    if (!Array.isArray(tables) || !tables.every((t) => typeof t === 'string')) {
      throw new Error(`${schema} exports no OWNED_TABLES (the names of the tables it owns)`);
    }
    const base = path.basename(file);
    const name = pascal(
      base === 'schema.ts' ? path.basename(path.dirname(file)) : base.replace(/\.schema\.ts$/, ''),
    );
    const output = schema.replace(/schema\.ts$/, 'tables.generated.ts');
    owners.push({ schema, name, output, tables });
  }
  return owners;
}

async function readCatalog<DB>(db: Db<DB>): Promise<{
  columns: Column[];
  types: Map<number, PgType>;
  enums: Map<number, string[]>;
}> {
  const columns = await sql<Column>`
    select c.relname as "table", a.attname as name, a.atttypid::int as "typeOid",
      a.attnotnull as "notNull", a.atthasdef as "hasDefault",
      a.attidentity::text as identity, a.attgenerated::text as generated
    from pg_catalog.pg_class c
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
  `.execute(db.kysely);
  const types = await sql<PgType>`
    select oid::int as oid, typname as name, typtype::text as kind, typcategory::text as category,
      typelem::int as element, typbasetype::int as base, typnotnull as "notNull"
    from pg_catalog.pg_type`.execute(db.kysely);
  const labels = await sql<{ type: number; label: string }>`
    select enumtypid::int as type, enumlabel as label
    from pg_catalog.pg_enum order by enumtypid, enumsortorder`.execute(db.kysely);
  const enums = new Map<number, string[]>();
  for (const { type, label } of labels.rows) enums.set(type, [...(enums.get(type) ?? []), label]);
  // Sorted here, not by the server's collation, so the output is the same wherever it is made.
  const byName = (x: Column, y: Column) =>
    x.table < y.table ? -1 : x.table > y.table ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
  return { columns: columns.rows.sort(byName), types: new Map(types.rows.map((t) => [t.oid, t])), enums };
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const wrapUnion = (ts: string) => (ts.includes(' ') ? `(${ts})[]` : `${ts}[]`);

function tsTypeOf(
  oid: number,
  where: string,
  types: Map<number, PgType>,
  enums: Map<number, string[]>,
): TsType & { notNull: boolean } {
  const type = types.get(oid);
  if (!type) throw new Error(`${where}: unknown type oid ${oid}`);
  if (type.kind === 'd') {
    const base = tsTypeOf(type.base, where, types, enums);
    return { ...base, notNull: base.notNull || type.notNull };
  }
  if (type.kind === 'e') {
    const union = (enums.get(oid) ?? []).map(quote).join(' | ');
    return { ...plain(union), notNull: false };
  }
  if (type.category === 'A' && type.element !== 0) {
    const element = tsTypeOf(type.element, where, types, enums);
    return { select: wrapUnion(element.select), write: wrapUnion(element.write), notNull: false };
  }
  const known = BASE_TYPES[type.name];
  if (!known) {
    throw new Error(
      `${where}: no TypeScript type for the database type ${type.name}; add it to BASE_TYPES in scripts/table-types.ts`,
    );
  }
  return { ...known, notNull: false };
}

/** The column's type as Kysely reads it: plain, `Generated`, `GeneratedAlways` or a `ColumnType`. */
function renderColumn(column: Column, types: Map<number, PgType>, enums: Map<number, string[]>): string {
  const ts = tsTypeOf(column.typeOid, `${column.table}.${column.name}`, types, enums);
  const orNull = column.notNull || ts.notNull ? '' : ' | null';
  const select = ts.select === 'unknown' ? ts.select : `${ts.select}${orNull}`;
  const write = `${ts.write}${orNull}`;
  if (column.generated === 's' || column.identity === 'a') return `GeneratedAlways<${select}>`;
  const defaulted = column.hasDefault || column.identity === 'd';
  if (select === write) return defaulted ? `Generated<${select}>` : select;
  return `ColumnType<${select}, ${write}${defaulted ? ' | undefined' : ''}, ${write}>`;
}

const propertyName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name));

function renderFile(
  owner: Owner,
  columns: Column[],
  types: Map<number, PgType>,
  enums: Map<number, string[]>,
) {
  const tables = [...owner.tables].sort();
  const bodies = tables.map((table) => {
    const lines = columns
      .filter((c) => c.table === table)
      .map((c) => `  ${propertyName(c.name)}: ${renderColumn(c, types, enums)};`);
    return `export interface ${pascal(table)}Columns {\n${lines.join('\n')}\n}`;
  });
  const used = ['ColumnType', 'Generated', 'GeneratedAlways'].filter((name) =>
    bodies.some((body) => body.includes(`${name}<`)),
  );
  const map = tables.map((table) => `  ${propertyName(table)}: ${pascal(table)}Columns;`).join('\n');
  return [
    `// Generated by \`${COMMAND}\` (scripts/table-types.ts) out of the migrated schema: do not edit.`,
    `// The tables of ${owner.schema} (OWNED_TABLES), which refines columns where it must.`,
    '',
    ...(used.length ? [`import type { ${used.join(', ')} } from 'kysely';`, ''] : []),
    bodies.join('\n\n'),
    '',
    `/** The tables of ${owner.schema}, as the migrations make them. */`,
    `export interface ${owner.name}TableColumns {`,
    map,
    '}',
    '',
  ].join('\n');
}

/**
 * The table types of the database `db` (already migrated) for `owners`; throws when a table of the
 * database has no owner or two, or an owner lists a table the database lacks.
 */
export async function tableTypes<DB>(db: Db<DB>, owners: Owner[]): Promise<GeneratedFile[]> {
  const catalog = await readCatalog(db);
  const inDatabase = new Set(catalog.columns.map((c) => c.table).filter((t) => !NOT_OWNED.has(t)));
  const ownerOf = new Map<string, string[]>();
  for (const owner of owners) {
    for (const table of owner.tables) ownerOf.set(table, [...(ownerOf.get(table) ?? []), owner.schema]);
  }
  const problems = [
    ...[...inDatabase]
      .filter((table) => !ownerOf.has(table))
      .map(
        (table) => `table ${table} is owned by nobody: list it in OWNED_TABLES of the schema.ts that owns it`,
      ),
    ...[...ownerOf]
      .filter(([, schemas]) => schemas.length > 1)
      .map(([table, schemas]) => `table ${table} is owned twice: by ${schemas.join(' and ')}`),
    ...[...ownerOf]
      .filter(([table]) => !inDatabase.has(table))
      .map(([table, schemas]) => `${schemas.join(', ')} owns ${table}, which no migration makes`),
  ].sort();
  if (problems.length) throw new Error(`table types not generated:\n  ${problems.join('\n  ')}`);
  return owners.map((owner) => ({
    path: owner.output,
    text: renderFile(owner, catalog.columns, catalog.types, catalog.enums),
  }));
}

/** The generated files, in memory: what `npm run db:types` writes. */
export async function generateTableTypes(): Promise<GeneratedFile[]> {
  const owners = await readOwners();
  const db = await openPglite<unknown>('memory://');
  try {
    await migrateToLatest(db);
    return await tableTypes(db, owners);
  } finally {
    await db.close();
  }
}

async function main() {
  const files = await generateTableTypes();
  for (const file of files) {
    const target = path.join(root, file.path);
    const current = await fs.readFile(target, 'utf8').catch(() => null);
    if (current === file.text) continue;
    await fs.writeFile(target, file.text);
    console.log(`wrote ${file.path}`);
  }
  const written = new Set(files.map((f) => f.path));
  for (const stale of (await generatedFilesOnDisk()).filter((f) => !written.has(f))) {
    await fs.rm(path.join(root, stale));
    console.log(`removed ${stale} (its schema file is gone)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
