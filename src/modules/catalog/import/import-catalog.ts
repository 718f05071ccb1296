import type { z } from 'zod';
import type { AppContext } from '../../../context.js';
import type { Trx } from '../../../database.js';
import { DomainError, ValidationFailed } from '../../../shared/errors.js';
import {
  type UpsertOutcome,
  upsertCourse,
  upsertCourseRun,
  upsertOrganization,
  upsertProgram,
} from '../upserts.js';
import {
  type CourseRecord,
  catalogDump,
  courseRecord,
  describeIssues,
  type OrgRecord,
  orgRecord,
  type ProgramRecord,
  programRecord,
  type RunRecord,
  runRecord,
} from './dump.schemas.js';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type RejectedKind = 'organization' | 'course' | 'course_run' | 'program';

export interface Rejection {
  kind: RejectedKind;
  /** The record's key (org key, course key, run key) or program uuid/title; `#N` when it has none. */
  key: string;
  reason: string;
}

export interface CatalogImportReport {
  organizations: ImportCounts;
  courses: ImportCounts;
  runs: ImportCounts;
  programs: ImportCounts;
  rejected: Rejection[];
}

/** Checks only the envelope: `{organizations?, courses?, programs?}`, each a list. */
export function parseCatalogDump(
  dump: unknown,
): { ok: true; value: z.infer<typeof catalogDump> } | { ok: false; reason: string } {
  const parsed = catalogDump.safeParse(dump);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: describeIssues(parsed.error) };
}

const counts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** What a record calls itself in a rejection, even when it failed validation. */
function keyOf(raw: unknown, index: number, ...fields: string[]): string {
  if (raw && typeof raw === 'object') {
    for (const f of fields) {
      const v = (raw as Record<string, unknown>)[f];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
  }
  return `#${index + 1}`;
}

/**
 * Errors a record causes, which reject it: the catalog's refusals, and constraint or data errors
 * from the database (a uuid that another record already has). Anything else stops the import.
 */
function isRecordError(err: unknown): err is Error {
  if (err instanceof DomainError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

function reasonOf(err: unknown): string {
  if (err instanceof ValidationFailed && Object.keys(err.errors).length > 0) {
    return Object.entries(err.errors)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * The dump's records as the catalog's get-or-create writes take them. A course has no status in
 * course-discovery; an imported one is as far along as its furthest run.
 */
function writer(ctx: AppContext) {
  return {
    organization: async (trx: Trx, org: OrgRecord) => (await upsertOrganization(ctx, trx, org)).outcome,
    course: async (trx: Trx, c: CourseRecord, runs: RunRecord[]) => {
      const statuses = runs.map((r) => r.status);
      const derived = statuses.includes('published')
        ? 'published'
        : statuses.includes('reviewed')
          ? 'reviewed'
          : 'unpublished';
      const result = await upsertCourse(ctx, trx, {
        key: c.key,
        title: c.title,
        courseType: c.course_type,
        org: c.org,
        uuid: c.uuid,
        shortDescription: c.short_description,
        status: c.status ?? derived,
        entitlements: c.entitlements?.map((e) => ({
          mode: e.mode,
          priceCents: e.price,
          currency: e.currency,
        })),
      });
      return result.outcome;
    },
    run: async (trx: Trx, c: CourseRecord, r: RunRecord) => {
      const result = await upsertCourseRun(ctx, trx, {
        key: r.key,
        course: c.key,
        runType: r.run_type,
        uuid: r.uuid,
        // A run's title is an override only where it differs from its course's.
        title: r.title && r.title !== c.title ? r.title : null,
        start: r.start,
        end: r.end,
        enrollmentStart: r.enrollment_start,
        enrollmentEnd: r.enrollment_end,
        pacingType: r.pacing_type,
        status: r.status,
        seats: r.seats.map((s) => ({
          type: s.type,
          priceCents: s.price,
          currency: s.currency,
          upgradeDeadline: s.upgrade_deadline,
        })),
      });
      return result.outcome;
    },
    program: async (trx: Trx, p: ProgramRecord) => {
      const result = await upsertProgram(ctx, trx, {
        uuid: p.uuid,
        title: p.title,
        type: p.type,
        status: p.status,
        courses: p.courses,
        excludedCourseRuns: p.excluded_course_runs,
      });
      return result.outcome;
    },
  };
}

/** A run's write failed; the course is retried without it. */
class RunFailed extends Error {
  constructor(
    readonly runKey: string,
    cause: unknown,
  ) {
    super(reasonOf(cause), { cause });
  }
}

/**
 * Imports a course-discovery-shaped dump (see dump.schemas.ts) idempotently: records are matched
 * by key (organizations, courses, runs) or uuid/title (programs) and created, updated or left
 * unchanged. Every record is validated on its own; a bad one is rejected with its reason and the
 * rest import. Each course is written with its runs in one transaction; a run the catalog refuses
 * is rejected and its course written again without it. Programs come last, as they name courses.
 *
 * Throws ValidationFailed only when the dump is not a dump at all (the envelope is wrong).
 */
export async function importCatalog(
  ctx: AppContext,
  dump: unknown,
  onProgress?: (done: number, total: number) => void,
): Promise<CatalogImportReport> {
  const envelope = parseCatalogDump(dump);
  if (!envelope.ok) throw new ValidationFailed(`Not a catalog dump: ${envelope.reason}`, {}, 'invalid_dump');
  const { organizations, courses, programs } = envelope.value;
  const write = writer(ctx);
  const report: CatalogImportReport = {
    organizations: counts(),
    courses: counts(),
    runs: counts(),
    programs: counts(),
    rejected: [],
  };
  const reject = (kind: RejectedKind, key: string, reason: string) =>
    report.rejected.push({ kind, key, reason });
  const total = organizations.length + courses.length + programs.length;
  let done = 0;
  const step = () => onProgress?.(++done, total);

  // Organizations: small and independent, one transaction each.
  for (const [i, raw] of organizations.entries()) {
    const parsed = orgRecord.safeParse(raw);
    if (!parsed.success) {
      reject('organization', keyOf(raw, i, 'key'), describeIssues(parsed.error));
    } else {
      try {
        const outcome = await ctx.db.transaction((trx) => write.organization(trx, parsed.data));
        report.organizations[outcome]++;
      } catch (err) {
        if (!isRecordError(err)) throw err;
        reject('organization', parsed.data.key, reasonOf(err));
      }
    }
    step();
  }

  for (const [i, raw] of courses.entries()) {
    await importCourse(raw, i);
    step();
  }

  async function importCourse(raw: unknown, index: number): Promise<void> {
    const parsed = courseRecord.safeParse(raw);
    if (!parsed.success) {
      reject('course', keyOf(raw, index, 'key', 'uuid', 'title'), describeIssues(parsed.error));
      return;
    }
    const course = parsed.data;
    let runs: RunRecord[] = [];
    for (const [j, rawRun] of course.course_runs.entries()) {
      const run = runRecord.safeParse(rawRun);
      if (run.success) runs.push(run.data);
      else reject('course_run', keyOf(rawRun, j, 'key', 'uuid'), describeIssues(run.error));
    }
    // A run the catalog refuses rolls the course back; drop it and write the course again.
    for (;;) {
      try {
        const outcomes = await writeCourse(course, runs);
        report.courses[outcomes.course]++;
        for (const o of outcomes.runs) report.runs[o]++;
        return;
      } catch (err) {
        if (!(err instanceof RunFailed)) {
          if (!isRecordError(err)) throw err;
          reject('course', course.key, reasonOf(err));
          return;
        }
        reject('course_run', err.runKey, err.message);
        runs = runs.filter((r) => r.key !== err.runKey);
      }
    }
  }

  function writeCourse(course: CourseRecord, runs: RunRecord[]) {
    return ctx.db.transaction(async (trx) => {
      const courseOutcome = await write.course(trx, course, runs);
      const runOutcomes: UpsertOutcome[] = [];
      for (const run of runs) {
        try {
          runOutcomes.push(await write.run(trx, course, run));
        } catch (err) {
          throw isRecordError(err) ? new RunFailed(run.key, err) : err;
        }
      }
      return { course: courseOutcome, runs: runOutcomes };
    });
  }

  for (const [i, raw] of programs.entries()) {
    const parsed = programRecord.safeParse(raw);
    if (!parsed.success) {
      reject('program', keyOf(raw, i, 'uuid', 'title'), describeIssues(parsed.error));
    } else {
      try {
        const outcome = await ctx.db.transaction((trx) => write.program(trx, parsed.data));
        report.programs[outcome]++;
      } catch (err) {
        if (!isRecordError(err)) throw err;
        reject('program', parsed.data.uuid ?? parsed.data.title, reasonOf(err));
      }
    }
    step();
  }

  return report;
}
