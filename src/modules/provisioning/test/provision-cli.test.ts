import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisioningRequest } from './fixtures.js';

const bin = path.resolve(import.meta.dirname, '../../../../bin/campus.mjs');

function campus(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CAMPUS_DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      DATABASE_URL: '',
      NODE_ENV: 'test',
    },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

function requestFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'campus-provision-')), 'customer.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('campus provision', () => {
  it('provisions from a request file, printing the records and each step on stderr', () => {
    const r = campus('provision', '--file', requestFile(provisioningRequest('cli-corp', 'CliX')));

    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.enterprise_customer).toMatchObject({ slug: 'cli-corp', country: 'US' });
    expect(result.policies).toHaveLength(2);
    expect(r.err.split('\n')).toEqual([
      '[1/6] get-or-create-customer: done',
      '[2/6] get-or-create-admins: done',
      '[3/6] get-or-create-catalog: done',
      '[4/6] get-or-create-subsidy: done',
      '[5/6] get-or-create-policies: done',
      '[6/6] queue-welcome-emails: done',
    ]);
  });

  it('exits 2 naming the fields of an invalid request, and on bad usage', () => {
    const invalid = campus('provision', '--file', requestFile({ enterprise_customer: { name: 'X' } }));
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('enterprise_customer.slug');
    expect(campus('provision', '--file', requestFile('not json')).code).toBe(2);
    expect(campus('provision').code).toBe(2);
  });
});
