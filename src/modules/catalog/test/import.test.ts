import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../../../test/support/app.js';
import { ValidationFailed } from '../../../shared/errors.js';
import { courseRecord, price, runRecord } from '../import/dump.schemas.js';
import { type CatalogImportReport, importCatalog } from '../import/import-catalog.js';

const SAMPLE_FILE = path.resolve(import.meta.dirname, '../../../../data/catalog-sample.json');

interface Seat {
  type: string;
  price: string;
  currency: string;
  upgrade_deadline: string | null;
}
interface Run {
  uuid: string;
  key: string;
  title: string;
  start: string;
  end: string;
  status: string;
  run_type: string;
  pacing_type: string;
  seats: Seat[];
}
interface Course {
  uuid: string;
  key: string;
  title: string;
  org: string;
  course_type: string;
  entitlements: { mode: string; price: string; currency: string }[];
  course_runs: Run[];
}
interface Program {
  uuid: string;
  title: string;
  type: string;
  courses: string[];
  excluded_course_runs: string[];
}
interface Dump {
  organizations: { key: string; name: string; uuid: string }[];
  courses: Course[];
  programs: Program[];
}

/** A fresh copy of the sample dump each time, so that a test may change it. */
const sample = (): Dump => JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as Dump;
const SAMPLE = sample();
const RUN_COUNT = SAMPLE.courses.reduce((n, c) => n + c.course_runs.length, 0);

const counts = (created: number, updated: number, unchanged: number) => ({ created, updated, unchanged });

async function importTimed(t: TestApp, dump: unknown): Promise<{ report: CatalogImportReport; ms: number }> {
  const started = performance.now();
  const report = await importCatalog(t.app.campus, dump);
  return { report, ms: performance.now() - started };
}

describe('the catalog dump format', () => {
  it('reads prices in dollars as strings or numbers into cents', () => {
    expect(price.parse('49.00')).toBe(4900);
    expect(price.parse('49')).toBe(4900);
    expect(price.parse('75.5')).toBe(7550);
    expect(price.parse(89.99)).toBe(8999);
    expect(price.parse(0)).toBe(0);
    for (const bad of ['1,000.00', '-5', '49.999', 'forty-nine', '']) {
      expect(price.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('ignores unknown fields and accepts null dates', () => {
    const run = runRecord.parse({
      ...SAMPLE.courses[0]!.course_runs[0],
      end: null,
      enrollment_start: null,
      enrollment_end: null,
      marketing_url: 'https://example.com',
      seats: [{ type: 'audit', price: 0, currency: 'usd', upgrade_deadline: null, sku: 'ABC' }],
    });
    expect(run.end).toBeNull();
    expect(run.seats).toEqual([{ type: 'audit', price: 0, currency: 'USD', upgrade_deadline: null }]);
    expect(run).not.toHaveProperty('marketing_url');
    const course = courseRecord.parse({ ...SAMPLE.courses[0], subjects: [{ name: 'Computer Science' }] });
    expect(course).not.toHaveProperty('subjects');
  });
});

describe('importing the sample catalog', () => {
  let t: TestApp;
  let staff: string;
  let first: CatalogImportReport;

  beforeAll(async () => {
    t = await testApp();
    staff = await t.token({ userId: 1, isStaff: true });
    const { report, ms } = await importTimed(t, SAMPLE);
    first = report;
    console.log(
      `sample catalog import: ${SAMPLE.courses.length} courses, ${RUN_COUNT} runs in ${ms.toFixed(0)} ms`,
    );
  });
  afterAll(() => t.close());

  const get = async (url: string) => {
    const res = await t.request({ method: 'GET', url, as: staff });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('creates every organization, course, run and program of the dump', () => {
    expect(first).toEqual({
      organizations: counts(SAMPLE.organizations.length, 0, 0),
      courses: counts(SAMPLE.courses.length, 0, 0),
      runs: counts(RUN_COUNT, 0, 0),
      programs: counts(SAMPLE.programs.length, 0, 0),
      rejected: [],
    });
    expect(SAMPLE.courses.length).toBeGreaterThanOrEqual(60);
    expect(RUN_COUNT).toBeGreaterThanOrEqual(180);
  });

  it('serves the imported catalog through the HTTP API', async () => {
    const orgs = await get('/catalog/api/v1/organizations/?page_size=100');
    expect(orgs.count).toBe(SAMPLE.organizations.length);
    const courses = await get('/catalog/api/v1/courses/?page_size=100');
    expect(courses.count).toBe(SAMPLE.courses.length);
    const runs = await get('/catalog/api/v1/course_runs/?page_size=100');
    expect(runs.count).toBe(RUN_COUNT);
    const programs = await get('/catalog/api/v1/programs/?page_size=100');
    expect(programs.count).toBe(SAMPLE.programs.length);

    // One course of each type, field by field, with its runs and seats.
    const byType = new Map(SAMPLE.courses.map((c) => [c.course_type, c]));
    expect([...byType.keys()].sort()).toEqual(
      ['audit', 'credit-verified-audit', 'honor', 'professional', 'verified', 'verified-audit'].sort(),
    );
    for (const expected of byType.values()) {
      const course = await get(`/catalog/api/v1/courses/${encodeURIComponent(expected.key)}/`);
      expect(course).toMatchObject({
        uuid: expected.uuid,
        key: expected.key,
        title: expected.title,
        course_type: expected.course_type,
        org: expected.org,
      });
      expect(
        course.entitlements.map((e: { mode: string; price: string; currency: string }) => ({
          mode: e.mode,
          price: e.price,
          currency: e.currency,
        })),
      ).toEqual(expected.entitlements);
      expect(course.course_runs.map((r: { key: string }) => r.key).sort()).toEqual(
        expected.course_runs.map((r) => r.key).sort(),
      );
      for (const run of expected.course_runs) {
        const served = course.course_runs.find((r: { key: string }) => r.key === run.key);
        expect(served).toMatchObject({
          uuid: run.uuid,
          title: run.title,
          start: new Date(run.start).toISOString(),
          end: new Date(run.end).toISOString(),
          status: run.status,
          pacing_type: run.pacing_type,
          run_type_slug: run.run_type,
        });
        const seats = served.seats.map((s: Seat) => ({
          type: s.type,
          price: s.price,
          currency: s.currency,
          upgrade_deadline: s.upgrade_deadline && new Date(s.upgrade_deadline).toISOString(),
        }));
        expect(seats.sort((a: Seat, b: Seat) => a.type.localeCompare(b.type))).toEqual(
          run.seats
            .map((s) => ({
              ...s,
              upgrade_deadline: s.upgrade_deadline && new Date(s.upgrade_deadline).toISOString(),
            }))
            .sort((a, b) => a.type.localeCompare(b.type)),
        );
      }
    }
  });

  it("stores each program's courses in order and its excluded runs", async () => {
    const withExclusions = SAMPLE.programs.filter((p) => p.excluded_course_runs.length > 0);
    expect(withExclusions.length).toBeGreaterThanOrEqual(2);
    for (const expected of SAMPLE.programs) {
      const program = await get(`/catalog/api/v1/programs/${expected.uuid}/`);
      expect(program.title).toBe(expected.title);
      expect(program.type_attrs.slug).toBe(expected.type);
      expect(program.courses.map((c: { key: string }) => c.key)).toEqual(expected.courses);
      expect([...program.excluded_course_runs].sort()).toEqual([...expected.excluded_course_runs].sort());
      const listed = program.courses.flatMap((c: { course_runs: { key: string }[] }) =>
        c.course_runs.map((r) => r.key),
      );
      for (const excluded of expected.excluded_course_runs) expect(listed).not.toContain(excluded);
      const allRuns = SAMPLE.courses
        .filter((c) => expected.courses.includes(c.key))
        .flatMap((c) => c.course_runs.map((r) => r.key));
      expect(listed.sort()).toEqual(allRuns.filter((k) => !expected.excluded_course_runs.includes(k)).sort());
    }
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await get('/catalog/api/v1/courses/?page_size=100');
    t.clock.advance(60_000);
    const { report, ms } = await importTimed(t, SAMPLE);
    console.log(`sample catalog re-import (nothing to change) in ${ms.toFixed(0)} ms`);
    expect(report).toEqual({
      organizations: counts(0, 0, SAMPLE.organizations.length),
      courses: counts(0, 0, SAMPLE.courses.length),
      runs: counts(0, 0, RUN_COUNT),
      programs: counts(0, 0, SAMPLE.programs.length),
      rejected: [],
    });
    const after = await get('/catalog/api/v1/courses/?page_size=100');
    expect(after).toEqual(before);
  });

  it('updates what changed in the dump, and only that', async () => {
    const dump = sample();
    const course = dump.courses.find((c) => c.course_type === 'verified-audit')!;
    course.title = `${course.title} (2nd edition)`;
    const run = course.course_runs.at(-1)!;
    run.seats.find((s) => s.type === 'verified')!.price = '59.00';
    t.clock.advance(60_000);
    const { report } = await importTimed(t, dump);
    expect(report.courses).toEqual(counts(0, 1, SAMPLE.courses.length - 1));
    expect(report.runs.created).toBe(0);
    expect(report.runs.updated).toBeGreaterThanOrEqual(1);
    expect(report.rejected).toEqual([]);
    const served = await get(`/catalog/api/v1/course_runs/${encodeURIComponent(run.key)}/`);
    expect(served.seats.find((s: Seat) => s.type === 'verified').price).toBe('59.00');
    const again = await importTimed(t, dump);
    expect(again.report.courses).toEqual(counts(0, 0, SAMPLE.courses.length));
    expect(again.report.runs).toEqual(counts(0, 0, RUN_COUNT));
  });
});

describe('importing a dump with bad records', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('rejects each bad record with its reason and imports the rest', async () => {
    t = await testApp();
    const dump = sample();
    const [c0, c1, c2, c3] = dump.courses;
    // A course whose entitlement price is not a price: the course and its runs are rejected.
    c0!.entitlements = [{ mode: 'verified', price: 'forty-nine', currency: 'USD' }];
    // A course of a type the catalog does not know: rejected by the catalog, in its transaction.
    c1!.course_type = 'no-such-type';
    // One run with an end before its start: only that run is rejected.
    const badDates = c2!.course_runs[0]!;
    badDates.end = '2020-01-01T00:00:00Z';
    // One run whose run type its course type does not allow: only that run is rejected.
    const wrongType = c3!.course_runs[0]!;
    wrongType.run_type = 'professional';
    wrongType.seats = [{ type: 'professional', price: '99.00', currency: 'USD', upgrade_deadline: null }];
    // A program naming a rejected course is rejected too.
    const program = dump.programs.find((p) => p.courses.includes(c0!.key) || p.courses.includes(c1!.key));

    const report = await importCatalog(t.app.campus, dump);

    expect(report.rejected).toEqual(
      expect.arrayContaining([
        { kind: 'course', key: c0!.key, reason: expect.stringContaining('entitlements.0.price') },
        { kind: 'course', key: c1!.key, reason: expect.stringContaining('no-such-type') },
        { kind: 'course_run', key: badDates.key, reason: expect.stringContaining('start') },
        { kind: 'course_run', key: wrongType.key, reason: expect.stringMatching(/run type|professional/i) },
      ]),
    );
    expect(report.rejected).toHaveLength(program ? 5 : 4);
    if (program) {
      expect(report.rejected).toContainEqual({
        kind: 'program',
        key: program.uuid,
        reason: expect.stringMatching(new RegExp(`${c0!.key}|${c1!.key}`.replace(/[.+]/g, '\\$&'))),
      });
    }
    expect(report.courses.created).toBe(dump.courses.length - 2);
    const expectedRuns =
      dump.courses.slice(2).reduce((n, c) => n + c.course_runs.length, 0) - 2; /* badDates, wrongType */
    expect(report.runs.created).toBe(expectedRuns);
    expect(report.programs.created).toBe(dump.programs.length - (program ? 1 : 0));

    const staff = await t.token({ userId: 1, isStaff: true });
    const res = await t.request({
      method: 'GET',
      url: '/catalog/api/v1/course_runs/?page_size=1',
      as: staff,
    });
    expect(res.json().count).toBe(expectedRuns);
    const c3Served = await t.request({
      method: 'GET',
      url: `/catalog/api/v1/courses/${encodeURIComponent(c3!.key)}/`,
      as: staff,
    });
    expect(c3Served.json().course_runs.map((r: { key: string }) => r.key)).not.toContain(wrongType.key);
    expect(c3Served.json().course_runs).toHaveLength(c3!.course_runs.length - 1);
  });

  it('rejects a course whose uuid another course already has', async () => {
    const [taken] = SAMPLE.courses.slice(5);
    const report = await importCatalog(t.app.campus, {
      courses: [{ ...taken, key: `${taken!.org}+Copy101x`, course_runs: [] }],
    });
    expect(report.rejected).toEqual([
      {
        kind: 'course',
        key: `${taken!.org}+Copy101x`,
        reason: expect.stringMatching(/duplicate key|already/),
      },
    ]);
    expect(report.courses).toEqual(counts(0, 0, 0));
  });

  it('names records without a key by their position', async () => {
    const report = await importCatalog(t.app.campus, {
      organizations: [{ name: 'No key' }],
      courses: [42],
      programs: [{ title: 'No type', courses: [] }],
    });
    expect(report.rejected).toEqual([
      { kind: 'organization', key: '#1', reason: expect.stringContaining('key') },
      { kind: 'course', key: '#1', reason: expect.any(String) },
      { kind: 'program', key: 'No type', reason: expect.stringContaining('type') },
    ]);
  });

  it('refuses a file that is not a catalog dump, changing nothing', async () => {
    for (const notADump of [null, [], { courses: 'many' }, 'catalog']) {
      await expect(importCatalog(t.app.campus, notADump)).rejects.toBeInstanceOf(ValidationFailed);
    }
  });
});

describe('campus import catalog', () => {
  const bin = path.resolve(import.meta.dirname, '../../../../bin/campus.mjs');
  const campus = (env: Record<string, string>, ...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CAMPUS_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'campus-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the summary and each rejected record, with N/M progress lines, and exits 1', () => {
    const file = path.join(dir, 'dump.json');
    const [good] = SAMPLE.courses.filter((c) => c.org === 'MITx');
    writeFileSync(
      file,
      JSON.stringify({
        organizations: SAMPLE.organizations.filter((o) => o.key === 'MITx'),
        courses: [good, { ...good, key: 'MITx+Bad', title: '' }],
      }),
    );
    const r = campus({}, 'import', 'catalog', file);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/courses\s+1 created, 0 updated, 0 unchanged/);
    expect(r.out).toMatch(new RegExp(`course runs\\s+${good!.course_runs.length} created`));
    expect(r.out).toContain('course MITx+Bad: title:');
    expect(r.err.trim().split('\n').slice(0, 3)).toEqual([
      'importing catalog: 1/3',
      'importing catalog: 2/3',
      'importing catalog: 3/3',
    ]);
    expect(r.err).toContain('1 record(s) rejected');
  });

  it('exits 2 without touching the database when the file is unreadable or not a dump', () => {
    const missing = campus({}, 'import', 'catalog', path.join(dir, 'missing.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{"courses": [');
    expect(campus({}, 'import', 'catalog', notJson)).toMatchObject({
      code: 2,
      err: expect.stringContaining('not JSON'),
    });
    const notADump = path.join(dir, 'array.json');
    writeFileSync(notADump, '[]');
    expect(campus({}, 'import', 'catalog', notADump)).toMatchObject({
      code: 2,
      err: expect.stringContaining('not a catalog dump'),
    });
  });

  it('seed --demo loads the sample catalog, and again changes nothing', () => {
    const data = path.join(dir, 'pgdata');
    const first = campus({ CAMPUS_DATA_DIR: data }, 'seed', '--demo');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(new RegExp(`courses\\s+${SAMPLE.courses.length} created`));
    const second = campus({ CAMPUS_DATA_DIR: data }, 'seed', '--demo');
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(
      new RegExp(`courses\\s+0 created, 0 updated, ${SAMPLE.courses.length} unchanged`),
    );
    expect(second.out).toMatch(new RegExp(`course runs\\s+0 created, 0 updated, ${RUN_COUNT} unchanged`));
  }, 120_000);
});
