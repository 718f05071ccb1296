import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');
const handles = new Set(['db', 'trx', 'executor']);
/** The context, or the part of it a lower-level writer needs (the clock and ids). */
const contexts = new Set(['ctx', 'deps']);

/** src/**\/*.ts without the tests. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'test' ? [] : files(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

/** The name a function is known by: its own, the variable or property it is assigned to, or its line. */
function nameOf(fn: ts.SignatureDeclaration, source: ts.SourceFile): string {
  const own =
    fn.name ??
    (ts.isVariableDeclaration(fn.parent) ||
    ts.isPropertyAssignment(fn.parent) ||
    ts.isTypeAliasDeclaration(fn.parent)
      ? fn.parent.name
      : undefined);
  const name = own
    ? own.getText(source)
    : `<anonymous:${source.getLineAndCharacterOfPosition(fn.getStart(source)).line + 1}>`;
  const owner = ts.isClassLike(fn.parent) && fn.parent.name ? `${fn.parent.name.text}.` : '';
  return owner + name;
}

/**
 * Every function (declaration, arrow, method, function type…) taking a context (`ctx`, or `deps`, the
 * part of it a writer needs) and a database handle where they are not first and second, or where the
 * handle is optional (a default would let a caller in a transaction forget to pass it).
 */
function misordered(fileName: string, text: string): { checked: number; violations: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const out = { checked: 0, violations: [] as string[] };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) {
      const params = node.parameters.map((p) =>
        ts.isIdentifier(p.name) ? p.name.text : p.name.getText(source),
      );
      const ctx = params.findIndex((p) => contexts.has(p));
      const db = params.findIndex((p) => handles.has(p));
      const handle = node.parameters[db];
      if (ctx >= 0 && handle) {
        out.checked++;
        const optional = Boolean(handle.questionToken || handle.initializer);
        const shown = params.map((p, i) => (i === db && optional ? `${p}?` : p));
        if (ctx !== 0 || db !== 1 || optional)
          out.violations.push(`${fileName}: ${nameOf(node, source)}(${shown.join(', ')})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('argument order', () => {
  it('puts the context first and the database handle second, required: (ctx|deps, db|trx|executor, …)', () => {
    const all = files(src).map((file) => misordered(path.relative(src, file), readFileSync(file, 'utf8')));
    // Not a vacuous pass: the scan does see the many functions that take both.
    expect(all.reduce((n, f) => n + f.checked, 0)).toBeGreaterThan(20);
    expect(all.flatMap((f) => f.violations)).toEqual([]);
  });

  it('finds a misordered declaration, arrow function and method, and leaves the right order alone', () => {
    const sut = misordered(
      'x.ts',
      `
      export async function a(ctx: C, key: string, db: E = ctx.db.kysely) {}
      const b = async (trx: T, ctx: C) => {};
      class K { static open(executor: E, ctx: C) {} }
      function d(ctx: C, db: E = ctx.db.kysely, key?: string) {}
      function fine(ctx: C, trx: T, key: string) {}
      const alsoFine = (db: E, key: string) => {};
      export async function w(trx: T, deps: D, input: I) {}
      type L = (trx: T, deps: D, transition: X) => Promise<void>;
      function writerFine(deps: D, trx: T, input: I) {}
      `,
    );
    expect(sut.violations).toEqual([
      'x.ts: a(ctx, key, db?)',
      'x.ts: b(trx, ctx)',
      'x.ts: K.open(executor, ctx)',
      'x.ts: d(ctx, db?, key)',
      'x.ts: w(trx, deps, input)',
      'x.ts: L(trx, deps, transition)',
    ]);
  });
});
