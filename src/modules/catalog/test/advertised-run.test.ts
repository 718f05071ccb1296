import { describe, expect, it } from 'vitest';
import { advertisedCourseRun, isCurrent, isUpgradeable } from '../advertised-run.js';

/** course-discovery's Course.advertised_course_run, over runs as the course detail shows them. */
describe('the advertised course run', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const run = (
    uuid: string,
    fields: {
      start: string;
      end?: string | null;
      enrollment_end?: string | null;
      is_marketable?: boolean;
      seats?: { type: string; price_cents: number; upgrade_deadline: string | null }[];
    },
  ) => ({
    uuid,
    start: fields.start,
    end: fields.end === undefined ? '2026-12-31T00:00:00.000Z' : fields.end,
    enrollment_end: fields.enrollment_end ?? null,
    is_marketable: fields.is_marketable ?? true,
    seats: fields.seats ?? [
      { type: 'audit', price_cents: 0, upgrade_deadline: null },
      { type: 'verified', price_cents: 10_000, upgrade_deadline: '2026-12-01T00:00:00.000Z' },
    ],
  });
  const sut = (runs: ReturnType<typeof run>[]) => advertisedCourseRun(runs, now)?.uuid ?? null;

  it('prefers a current upgradeable run, the latest-starting one', () => {
    const runs = [
      run('early', { start: '2026-01-10T00:00:00Z' }),
      run('later', { start: '2026-05-10T00:00:00Z' }),
      run('upcoming', { start: '2026-07-01T00:00:00Z' }),
    ];
    expect(sut(runs)).toBe('later');
  });

  it('then an upcoming upgradeable run, the earliest-starting one', () => {
    const runs = [
      run('far', { start: '2027-01-10T00:00:00Z', end: '2027-06-01T00:00:00Z' }),
      run('soon', { start: '2026-07-01T00:00:00Z' }),
      // Started, but its paid seat can no longer be bought: tier three.
      run('past-upgrade', {
        start: '2026-03-01T00:00:00Z',
        seats: [{ type: 'verified', price_cents: 10_000, upgrade_deadline: '2026-05-01T00:00:00Z' }],
      }),
    ];
    expect(sut(runs)).toBe('soon');
  });

  it('else the latest-starting marketable run, ended or audit-only included', () => {
    const runs = [
      run('archived', { start: '2025-01-01T00:00:00Z', end: '2025-05-01T00:00:00Z' }),
      run('audit-only', {
        start: '2026-02-01T00:00:00Z',
        seats: [{ type: 'audit', price_cents: 0, upgrade_deadline: null }],
      }),
    ];
    expect(sut(runs)).toBe('audit-only');
  });

  it('never advertises a run that is not marketable, and has none when no run is', () => {
    const runs = [
      run('unpublished', { start: '2026-05-10T00:00:00Z', is_marketable: false }),
      run('published', { start: '2026-01-10T00:00:00Z', end: '2026-03-01T00:00:00Z' }),
    ];
    expect(sut(runs)).toBe('published');
    expect(sut([run('unpublished', { start: '2026-05-10T00:00:00Z', is_marketable: false })])).toBeNull();
    expect(sut([])).toBeNull();
  });

  it('does not count a run ending within two weeks as current', () => {
    const ending = run('ending', { start: '2026-01-10T00:00:00Z', end: '2026-06-14T00:00:00Z' });
    expect(isCurrent(ending, now)).toBe(false);
    expect(isCurrent({ ...ending, end: '2026-06-15T00:00:00Z' }, now)).toBe(true);
    // The current run that ends soon loses to an upcoming upgradeable one.
    expect(sut([ending, run('next', { start: '2026-07-01T00:00:00Z' })])).toBe('next');
  });

  it('is upgradeable until the paid seat deadline, capped by the enrollment end, never by a credit seat', () => {
    const r = run('r', { start: '2026-05-10T00:00:00Z', enrollment_end: '2026-05-31T00:00:00Z' });
    expect(isUpgradeable(r, now)).toBe(false);
    expect(isUpgradeable({ ...r, enrollment_end: null }, now)).toBe(true);
    const creditOnly = {
      ...r,
      enrollment_end: null,
      seats: [{ type: 'credit', price_cents: 50_000, upgrade_deadline: null }],
    };
    expect(isUpgradeable(creditOnly, now)).toBe(false);
  });
});
