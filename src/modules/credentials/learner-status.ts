import type { AppContext } from '../../context.js';
import { DomainError, NotFound, ValidationFailed } from '../../shared/errors.js';
import { canonicalUuid, type Principal, requireRole } from '../../shared/principal.js';
import { loadProgram, loadRun, type RunRef } from './catalog-reads.js';
import * as credentials from './credentials.repository.js';
import {
  type LearnerProgramStatusOut,
  type LearnerStatusBody,
  type LearnerStatusOut,
  learnerStatusBody,
} from './credentials.schemas.js';
import * as grades from './grades.repository.js';
import { findReadable, type LearnerRef, requireSelfOrAdmin } from './learners.js';
import { apiDate, computeProgress, isVisible, modeCompletesRun } from './program-progress.js';
import type { GradeRow } from './schema.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Exactly one of lms_user_id and username, as in the reference (0 and "" count as missing). */
function learnerRef(input: { lms_user_id?: number | null; username?: string | null }): LearnerRef {
  const hasId = Boolean(input.lms_user_id);
  const hasName = Boolean(input.username);
  if (hasId === hasName) {
    throw new ValidationFailed(
      'Give exactly one of lms_user_id and username.',
      { non_field_errors: ['Give exactly one of lms_user_id and username.'] },
      'learner_identifier_required',
    );
  }
  return hasId ? { lmsUserId: input.lms_user_id! } : { username: input.username! };
}

const gradeView = (g: GradeRow | undefined) =>
  g ? { letter_grade: g.letter_grade, percent_grade: Number(g.percent_grade), verified: g.verified } : null;

async function certStatus(
  ctx: AppContext,
  actor: Principal,
  input: LearnerStatusBody,
  runCache: Map<string, Promise<RunRef | null>>,
): Promise<LearnerStatusOut> {
  const ref = learnerRef(input);
  requireSelfOrAdmin(actor, ref);
  const courses = new Set((input.courses ?? []).map((c) => (UUID.test(c) ? canonicalUuid(c) : c)));
  const runs = new Set((input.course_runs ?? []).map((r) => (UUID.test(r) ? canonicalUuid(r) : r)));
  if (courses.size === 0 && runs.size === 0) {
    throw new ValidationFailed(
      'Name at least one course or course run.',
      { courses: ['Name at least one course or course run.'] },
      'empty_request',
    );
  }
  const db = ctx.db.kysely;
  const learner = await findReadable(db, actor, ref);
  if (!learner) return { lms_user_id: ref.lmsUserId ?? null, username: ref.username ?? null, status: [] };
  const now = ctx.clock.now();
  const held = (await credentials.courseCredentialsOf(db, learner.uuid)).filter(
    (c) => c.status === 'awarded' && isVisible(c, now),
  );
  const runOf = (key: string) => {
    let p = runCache.get(key);
    if (!p) {
      p = loadRun(ctx, db, key);
      runCache.set(key, p);
    }
    return p;
  };
  const matching = [];
  for (const c of held) {
    const run = await runOf(c.course_run_key!);
    if (!run) continue;
    if (courses.has(run.courseUuid) || runs.has(run.key) || runs.has(run.uuid)) matching.push({ c, run });
  }
  const gradeRows = await grades.gradesOf(
    db,
    learner.uuid,
    matching.map((m) => m.run.key),
  );
  return {
    lms_user_id: learner.lms_user_id,
    username: learner.username,
    status: matching.map(({ c, run }) => ({
      course_uuid: run.courseUuid,
      course_run: { uuid: run.uuid, key: run.key },
      status: c.status,
      type: c.certificate_type ?? c.mode!,
      certificate_available_date: c.certificate_available_date ? apiDate(c.certificate_available_date) : null,
      grade: gradeView(gradeRows.find((g) => g.course_run_key === run.key)),
    })),
  };
}

/** POST learner_cert_status/: one entry per awarded, visible course-run certificate that matches. */
export function learnerCertStatus(ctx: AppContext, actor: Principal, input: LearnerStatusBody) {
  return certStatus(ctx, actor, input, new Map());
}

/**
 * The bulk form, for credentials admins (the reference's worker): one answer per item, in order.
 * Unlike the reference (which fails the whole batch), an invalid item gets its own
 * `{error: {detail, error_code, errors}}` entry.
 */
export async function bulkLearnerCertStatus(ctx: AppContext, actor: Principal, items: unknown[]) {
  requireRole(actor, 'credentials_admin');
  const cache = new Map<string, Promise<RunRef | null>>();
  const out: (
    | LearnerStatusOut
    | { error: { detail: string; error_code: string; errors?: Record<string, string[]> } }
  )[] = [];
  for (const item of items) {
    const parsed = learnerStatusBody.safeParse(item);
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'non_field_errors';
        errors[key] = [...(errors[key] ?? []), issue.message];
      }
      out.push({ error: { detail: 'The item is invalid.', error_code: 'validation_failed', errors } });
      continue;
    }
    try {
      out.push(await certStatus(ctx, actor, parsed.data, cache));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const errors = (err.extra as { errors?: Record<string, string[]> }).errors;
      out.push({ error: { detail: err.message, error_code: err.errorCode, ...(errors ? { errors } : {}) } });
    }
  }
  return out;
}

/**
 * POST learner_program_status/ (docs/decisions/0013-learner-program-status.md): every run of every
 * course of the program, excluded runs included and tagged, with the learner's status on each and
 * the program's progress.
 */
export async function learnerProgramStatus(
  ctx: AppContext,
  actor: Principal,
  input: { lms_user_id?: number | null; username?: string | null; program_uuid: string },
): Promise<LearnerProgramStatusOut> {
  const ref = learnerRef(input);
  requireSelfOrAdmin(actor, ref);
  const db = ctx.db.kysely;
  const program = await loadProgram(ctx, db, input.program_uuid);
  if (!program) throw new NotFound('No program with this uuid.', 'program_not_found');
  const learner = await findReadable(db, actor, ref);
  const now = ctx.clock.now();
  const held = learner ? await credentials.courseCredentialsOf(db, learner.uuid) : [];
  const gradeRows = learner ? await grades.gradesOf(db, learner.uuid) : [];
  const progress = computeProgress(program, held, now);
  const programCredential = learner
    ? await credentials.getProgramCredential(db, learner.uuid, program.uuid)
    : undefined;
  return {
    lms_user_id: learner?.lms_user_id ?? ref.lmsUserId ?? null,
    username: learner?.username ?? ref.username ?? null,
    program_uuid: program.uuid,
    program_title: program.title,
    complete: progress.complete,
    completed_courses: progress.completedCourses,
    total_courses: progress.totalCourses,
    visible_date: progress.visibleDate ? apiDate(progress.visibleDate) : null,
    program_certificate: programCredential
      ? { uuid: programCredential.uuid, status: programCredential.status }
      : null,
    courses: progress.courses.map((cp) => ({
      course_uuid: cp.course.uuid,
      course_key: cp.course.key,
      title: cp.course.title,
      complete: cp.complete,
      completing_run:
        cp.complete && cp.completingRun ? { uuid: cp.completingRun.uuid, key: cp.completingRun.key } : null,
      runs: cp.course.runs.map((run) => {
        const c = held.find((h) => h.course_run_key === run.key);
        const visible = c ? isVisible(c, now) : false;
        return {
          uuid: run.uuid,
          key: run.key,
          excluded: run.excluded,
          type: run.type,
          status: c?.status ?? 'none',
          mode: c?.mode ?? null,
          certificate_available_date: c?.certificate_available_date
            ? apiDate(c.certificate_available_date)
            : null,
          visible,
          counts_toward_program:
            !run.excluded && c?.status === 'awarded' && visible && modeCompletesRun(c.mode, run.type),
          grade: gradeView(gradeRows.find((g) => g.course_run_key === run.key)),
        };
      }),
    })),
  };
}
