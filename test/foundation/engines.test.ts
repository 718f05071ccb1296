/**
 * A clean first run (issue 15 §4): `npm ci` on the Node.js that package.json declares warns about
 * no dependency. content-disposition@3 and cookie@2 want Node ≥ 22 while Campus runs on 20; the
 * `overrides` in package.json keep the versions that fit, and this test keeps every other
 * dependency honest the next time the lock file changes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  it('runs on the Node.js it declares', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it('installs only dependencies that support the oldest Node.js Campus declares', () => {
    const oldest = semver.minVersion(pkg.engines.node);
    expect(oldest).not.toBeNull();
    const misfits = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !Array.isArray(p.engines) && p.engines?.node)
      .filter(
        ([, p]) =>
          !semver.satisfies(
            oldest ?? '',
            p.engines && !Array.isArray(p.engines) ? (p.engines.node ?? '*') : '*',
          ),
      )
      .map(([name, p]) => `${name}@${p.version}`);
    expect(misfits).toEqual([]);
  });
});
