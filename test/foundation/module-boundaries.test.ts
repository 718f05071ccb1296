import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');
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

/** The specifiers of a file's `import('…')` types, which biome's noRestrictedImports does not see. */
function importTypes(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('import(')) return [];
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest));
  return out;
}

/** `./x`, `../x`, `../../x/y`: one `.` or a run of `..` first, then named folders only (what the lint's globs expect). */
function plain(spec: string): boolean {
  const parts = spec.split('/');
  const ups = parts.findIndex((p) => p !== '..');
  const rest = parts.slice(ups === 0 && parts[0] === '.' ? 1 : ups);
  return !rest.some((p) => p === '.' || p === '..' || p === '');
}

/**
 * Each way a file may reach into a module, linted with the repository's biome.json in a scratch
 * tree: path → [import line, refused?]. Tests and benchmarks outside src/ may reach in (they drive
 * modules through their fixtures); src/database.ts alone may import a schema.ts.
 */
const probes: Record<string, Array<[string, boolean]>> = {
  'src/modules/access/a.ts': [
    ["import { x } from '../ledger/ledger.repository.js';", true],
    ["export { y } from '../ledger/spend.js';", true],
    ["export const z = () => import('../ledger/spend.js');", true],
    ["import { w } from '../../modules/ledger/spend.js';", true],
    ["import { v } from '../ledger/index.js';", false],
    ["import { u } from './schema.js';", false],
    ["import { t } from '../../shared/clock.js';", false],
  ],
  'src/modules/access/test/a.test.ts': [
    ["import { x } from '../../ledger/spend.js';", true],
    ["import { y } from '../../ledger/index.js';", false],
    ["import { z } from '../schema.js';", false],
    ["import { w } from '../../../../test/support/app.js';", false],
  ],
  'src/modules/provisioning/steps/a.ts': [
    ["import { x } from '../../ledger/spend.js';", true],
    ["import { y } from '../provision.js';", false],
    ["import { z } from '../../enterprise/index.js';", false],
  ],
  'src/modules/catalog/import/deep/a.ts': [
    ["import { x } from '../../../ledger/spend.js';", true],
    ["import { y } from '../../index.js';", false],
    ["import { z } from '../dump.js';", false],
    ["import { w } from '../../../../http/errors.js';", false],
  ],
  'src/modules/catalog/test/a.test.ts': [["import { x } from '../import/dump.schemas.js';", false]],
  'src/modules/ledger/index.ts': [
    ["export { x } from './ledger.repository.js';", true],
    ["export { y } from './transaction.queries.js';", true],
    ["export { z } from './spend-by-policy.js';", false],
  ],
  'src/modules/registry.ts': [
    ["import { x } from './access/routes.js';", true],
    ["import { y } from './access/index.js';", false],
  ],
  'src/database.ts': [
    ["import type { X } from './modules/ledger/spend-by-policy.js';", true],
    ["import type { Y } from './modules/ledger/schema.js';", false],
  ],
  'src/app.ts': [["import { x } from './modules/ledger/spend.js';", true]],
  'src/jobs.ts': [["import { x } from './modules/ledger/spend.js';", true]],
  'src/wiring.ts': [
    ["import { x } from './modules/access/allocation.js';", true],
    ["import { y } from './modules/access/index.js';", false],
  ],
  'src/cli/ledger.ts': [["import { x } from '../modules/ledger/verify.js';", true]],
  'src/http/module.ts': [["import type { X } from '../modules/ledger/schema.js';", true]],
  'test/a.test.ts': [["import { x } from '../src/modules/ledger/spend.js';", false]],
  'bench/a.ts': [["import { x } from '../src/modules/access/policy.repository.js';", false]],
};

describe('module boundaries', () => {
  it("refuses, by biome.json's lint, every way past another module's index.ts, and nothing else", () => {
    // `npm run lint` enforces the doors (noRestrictedImports, one override per folder depth); this
    // lints a scratch tree with the same configuration, so a weakened override fails here.
    const config = JSON.parse(readFileSync(path.join(root, 'biome.json'), 'utf8'));
    delete config.vcs;
    delete config.$schema;
    const scratch = mkdtempSync(path.join(tmpdir(), 'campus-boundaries-'));
    try {
      writeFileSync(path.join(scratch, 'biome.json'), JSON.stringify(config));
      for (const [file, lines] of Object.entries(probes)) {
        mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
        writeFileSync(path.join(scratch, file), `${lines.map(([line]) => line).join('\n')}\n`);
      }
      const run = spawnSync(
        path.join(root, 'node_modules/.bin/biome'),
        ['lint', '--only=style/noRestrictedImports', '--reporter=json', '--max-diagnostics=none', '.'],
        { cwd: scratch, encoding: 'utf8' },
      );
      const report = JSON.parse(run.stdout) as {
        diagnostics: Array<{ message: string; location: { path: string; start: { line: number } } }>;
      };
      const refused = report.diagnostics.map((d) => `${d.location.path}:${d.location.start.line}`).sort();
      const expected = Object.entries(probes)
        .flatMap(([file, lines]) => lines.flatMap(([, no], i) => (no ? [`${file}:${i + 1}`] : [])))
        .sort();
      expect(refused).toEqual(expected);
      expect(report.diagnostics.every((d) => d.message.includes('index'))).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('leaves the lint nothing it cannot see: no import() type past a door, no roundabout path, no deeper folder', () => {
    // biome's noRestrictedImports matches the specifier as written and ignores TypeScript's
    // `import('…')` types; its overrides in biome.json cover module folders by depth.
    const depths = new Set(
      (
        JSON.parse(readFileSync(path.join(root, 'biome.json'), 'utf8')).overrides as Array<{
          includes: string[];
        }>
      )
        .flatMap((o) => o.includes)
        .filter((glob) => /^src\/modules(\/\*)+$/.test(glob))
        .map((glob) => glob.split('/').length - 2),
    );
    const violations: string[] = [];
    for (const file of files(src)) {
      const owner = moduleOf(file);
      const depth = path.relative(modulesDir, file).split(path.sep).length;
      if (owner && !depths.has(depth))
        violations.push(`${path.relative(src, file)}: no biome.json override this deep`);
      for (const spec of imports(file)) {
        if (spec.startsWith('.') && !plain(spec))
          violations.push(`${path.relative(src, file)}: roundabout ${spec}`);
      }
      for (const spec of importTypes(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        const targetModule = moduleOf(target);
        if (!targetModule || targetModule === owner) continue;
        if (target !== path.join(modulesDir, targetModule, 'index.ts'))
          violations.push(`${path.relative(src, file)}: import('${spec}') type`);
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
