import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');
const modulesDir = path.join(src, 'modules');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

/** modules/<name>/... → name, for a file inside a module. */
function moduleOf(file: string): string | null {
  const parts = path.relative(modulesDir, file).split(path.sep);
  return parts[0] === '..' || parts.length < 2 ? null : (parts[0] ?? null);
}

describe('module boundaries', () => {
  it('reach another module only through its index.ts, never its tables, repositories or routes', () => {
    const violations: string[] = [];
    for (const file of files(src)) {
      const owner = moduleOf(file);
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        const targetModule = moduleOf(target);
        if (!targetModule || targetModule === owner) continue;
        const isIndex = target === path.join(modulesDir, targetModule, 'index.ts');
        // src/database.ts composes every module's table types; that is the one allowed exception.
        const isSchemaUnion = file === path.join(src, 'database.ts') && target.endsWith('schema.ts');
        if (!isIndex && !isSchemaUnion) violations.push(`${path.relative(src, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps src/db/ below the modules: it imports nothing of theirs, nor the composed database type', () => {
    const upward = files(path.join(src, 'db')).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'))
        .filter((target) => moduleOf(target) !== null || target === path.join(src, 'database.ts'))
        .map((target) => `${path.relative(src, file)} imports ${path.relative(src, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('lets modules depend on each other one way only: no import circle between modules', () => {
    // module → the modules it imports (tests left out: they may drive a module through another).
    const uses = new Map<string, Set<string>>();
    for (const file of files(modulesDir)) {
      const owner = moduleOf(file);
      if (!owner || file.includes(`${path.sep}test${path.sep}`)) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = moduleOf(path.resolve(path.dirname(file), spec));
        if (target && target !== owner) uses.set(owner, (uses.get(owner) ?? new Set()).add(target));
      }
    }
    expect(uses.get('access')?.has('assignments')).toBe(true);
    const circles: string[] = [];
    const visit = (mod: string, trail: string[]) => {
      for (const next of uses.get(mod) ?? []) {
        if (next === trail[0]) circles.push([...trail, next].join(' → '));
        else if (!trail.includes(next) && next > (trail[0] ?? '')) visit(next, [...trail, next]);
      }
    };
    for (const mod of [...uses.keys()].sort()) visit(mod, [mod]);
    expect(circles).toEqual([]);
  });

  it('wires modules explicitly (src/wiring.ts): no module registers a listener when imported', () => {
    // A call at the top level of an index.ts runs on import: what follows what would depend on
    // which entry point imported which module.
    const calls = readdirSync(modulesDir).flatMap((mod) => {
      const index = path.join(modulesDir, mod, 'index.ts');
      if (!existsSync(index)) return [];
      return readFileSync(index, 'utf8')
        .split('\n')
        .filter((line) => /^[A-Za-z_$][\w$.]*\s*\(/.test(line))
        .map((line) => `${mod}/index.ts: ${line.trim()}`);
    });
    expect(calls).toEqual([]);
  });

  it("reads and writes only the module's own tables", () => {
    // Which module owns each table: the `<Name>Tables` interface in the module's schema.ts.
    const owner = new Map<string, string>();
    for (const mod of readdirSync(modulesDir)) {
      const schema = path.join(modulesDir, mod, 'schema.ts');
      // A module without tables (provisioning works through the others) has no schema.ts.
      if (!statSync(path.join(modulesDir, mod)).isDirectory() || !existsSync(schema)) continue;
      const text = readFileSync(schema, 'utf8');
      const block = /export interface \w+Tables \{([^}]*)\}/.exec(text)?.[1] ?? '';
      for (const m of block.matchAll(/^\s*(\w+):/gm)) owner.set(m[1] ?? '', mod);
    }
    expect(owner.size).toBeGreaterThan(20);
    const violations: string[] = [];
    for (const file of files(modulesDir)) {
      if (file.includes(`${path.sep}test${path.sep}`)) continue;
      const mod = moduleOf(file);
      const text = readFileSync(file, 'utf8');
      const refs = [
        ...text.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|leftJoin|innerJoin)\(\s*'(\w+)/g),
        ...text.matchAll(/\b(?:from|join|into|update)\s+(\w+)\b/g),
      ].map((m) => m[1] ?? '');
      for (const table of new Set(refs)) {
        const tableOwner = owner.get(table);
        if (tableOwner && tableOwner !== mod)
          violations.push(`${path.relative(src, file)} uses ${table} (${tableOwner})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps SQL out of route files', () => {
    const offenders = files(modulesDir)
      .filter((f) => f.endsWith('routes.ts'))
      .filter((f) => /\b(selectFrom|insertInto|updateTable|deleteFrom)\b|sql`/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(src, f))).toEqual([]);
  });
});
