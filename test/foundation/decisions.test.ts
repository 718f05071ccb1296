import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Comments, test names and docs cite the decisions the code relies on as pages of
 * docs/decisions/ — documents a reader of this repository can open — and never the upstream
 * decision records or guides that live elsewhere. Pure file reads: no database.
 */

const root = path.resolve(import.meta.dirname, '../..');
const decisionsDir = path.join(root, 'docs/decisions');
const TEXT = /\.(ts|js|mjs|html|css|md)$/;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : TEXT.test(name) ? [full] : [];
  });
}

/** Everything that may cite a decision: source, tests, benchmarks, scripts, pages, docs, README. */
const citing = [
  ...['src', 'test', 'bench', 'scripts', 'web', 'docs'].flatMap((d) => files(path.join(root, d))),
  path.join(root, 'README.md'),
];
const rel = (file: string) => path.relative(root, file);
const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ where: `${rel(file)}:${i + 1}`, text }));

const PAGE = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;
const pages = readdirSync(decisionsDir).filter((name) => PAGE.test(name));
const numbers = new Set(pages.map((name) => name.slice(0, 4)));

describe('docs/decisions', () => {
  it('has pages, one number each, each titled with its number', () => {
    expect(pages.length).toBeGreaterThan(0);
    expect(numbers.size).toBe(pages.length);
    for (const page of pages) {
      const title = readFileSync(path.join(decisionsDir, page), 'utf8').split('\n')[0];
      expect(title, page).toMatch(new RegExp(`^# ${page.slice(0, 4)}\\. `));
    }
  });

  it('lists every page in its README', () => {
    const index = readFileSync(path.join(decisionsDir, 'README.md'), 'utf8');
    expect(pages.filter((page) => !index.includes(`(${page})`))).toEqual([]);
  });

  it('has a page for every decision cited anywhere (by file name or as "decision NNNN")', () => {
    const missing: string[] = [];
    for (const file of citing) {
      for (const { where, text } of linesOf(file)) {
        for (const m of text.matchAll(/\b(\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.md)\b/g)) {
          const name = m[1] ?? '';
          if (!existsSync(path.join(decisionsDir, name))) missing.push(`${where}: ${name}`);
        }
        for (const m of text.matchAll(/\bdecisions? (\d{4})\b/gi)) {
          if (!numbers.has(m[1] ?? '')) missing.push(`${where}: decision ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('is what comments cite, not upstream decision records or documents outside the repository', () => {
    // Built from parts, so that this file does not match itself.
    const outside = [
      new RegExp(`\\b${'AD'}R[ -]?\\d{4}`),
      new RegExp(`\\b(?:${'STY'}LE|${'DES'}IGN)\\.md\\b`),
      new RegExp(`\\b${'STY'}LE §?\\d+\\b`),
      new RegExp(`\\breference ${'§'}`, 'i'),
      new RegExp(`\\b${'shared'}/(?:reference|STYLE|DESIGN)`),
    ];
    const offending: string[] = [];
    // The decision pages themselves name the upstream record each one follows, in words.
    for (const file of citing.filter((f) => !f.startsWith(`${decisionsDir}${path.sep}`))) {
      for (const { where, text } of linesOf(file)) {
        if (outside.some((re) => re.test(text))) offending.push(`${where}: ${text.trim()}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
