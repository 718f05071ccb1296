import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_TIER, SCENARIO_TIER, SYSTEM_TIER } from '../../vitest.config.js';

const root = path.resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) return testFiles(rel);
    return name.endsWith('.test.ts') ? [rel] : [];
  });
}

// The globs of vitest.config.ts as one expression: "**/" is any folders, "*" part of a name.
function matcher(globs: readonly string[]): (file: string) => boolean {
  const source = globs.map((glob) =>
    glob
      .split('**/')
      .map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*'))
      .join('(?:.*/)?'),
  );
  const re = new RegExp(`^(?:${source.join('|')})$`);
  return (file) => re.test(file);
}

/** What a test file needs beyond in-memory PGlite, read from what it uses. */
function needs(text: string): string[] {
  const found: string[] = [];
  if (/describePg|createPgDatabase|inject\('pgUrl'\)|postgres-cluster/.test(text)) found.push('postgres');
  if (/playwright|chromium|web-app\.js/.test(text)) found.push('browser');
  // Campus or its command line started as a process (a quick tool such as biome is not counted).
  if (/campus\.mjs|campus-process\.js|src\/main\.ts|cli\/main\.ts/.test(text)) found.push('process');
  return found;
}

describe('test tiers (vitest.config.ts)', () => {
  // This file names what it looks for, so it is left out of its own reading.
  const files = [...testFiles('src'), ...testFiles('test')].filter((f) => !f.endsWith('test-tiers.test.ts'));
  const inSystem = matcher(SYSTEM_TIER);
  const inBrowser = matcher(BROWSER_TIER);

  it('keeps out of the fast tier every file that needs PostgreSQL, a browser or a child process', () => {
    const misplaced = files.flatMap((file) => {
      const wants = needs(readFileSync(path.join(root, file), 'utf8'));
      const wrong = wants.filter((need) => (need === 'browser' ? !inBrowser(file) : !inSystem(file)));
      return wrong.length > 0 ? [`${file} needs ${wrong.join(', ')}`] : [];
    });
    expect(misplaced).toEqual([]);
  });

  it('names no file twice and no pattern that matches nothing', () => {
    const inScenarios = matcher(SCENARIO_TIER);
    const tiers = (f: string) => [inScenarios(f), inSystem(f), inBrowser(f)].filter(Boolean).length;
    expect(files.filter((f) => tiers(f) > 1)).toEqual([]);
    const stale = [...SCENARIO_TIER, ...SYSTEM_TIER, ...BROWSER_TIER].filter(
      (glob) => !files.some(matcher([glob])),
    );
    expect(stale).toEqual([]);
  });

  it('reads the globs as vitest does', () => {
    const m = matcher(['**/*.race.test.ts', 'test/reliability/**/*.test.ts', 'test/foundation/db.test.ts']);
    expect(m('src/modules/access/test/redemption.race.test.ts')).toBe(true);
    expect(m('x.race.test.ts')).toBe(true);
    expect(m('test/reliability/fuzz.test.ts')).toBe(true);
    expect(m('test/reliability/deep/fuzz.test.ts')).toBe(true);
    expect(m('test/foundation/db.test.ts')).toBe(true);
    expect(m('test/foundation/dbxtest.ts')).toBe(false);
    expect(m('test/foundation/http.test.ts')).toBe(false);
  });
});
