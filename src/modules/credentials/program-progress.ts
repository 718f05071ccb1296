import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { ProgramCatalog, ProgramCourse, ProgramRun } from './catalog-reads.js';
import { loadProgram } from './catalog-reads.js';
import type { CourseCredentialRow } from './credentials.repository.js';
import * as credentials from './credentials.repository.js';
import * as events from './events.repository.js';
import type { LearnerRow, UserCredentialRow } from './schema.js';

/**
 * Program progress, computed by Campus from its own catalog (the LMS's ProgramProgressMeter rule):
 * a course is complete when one of its non-excluded runs holds an awarded certificate whose mode
 * matches the run's type; a program when it has at least one course and all are complete.
 */

export const PROGRAM_CERTIFICATE_AWARDED = 'program_certificate.awarded';
export const PROGRAM_CERTIFICATE_REVOKED = 'program_certificate.revoked';

/** The run type credit is completed by a verified certificate; no-id-professional counts as professional. */
function normalizedRunType(type: string | null): string | null {
  if (type === 'credit') return 'verified';
  if (type === 'no-id-professional') return 'professional';
  return type;
}

function normalizedMode(mode: string | null): string | null {
  if (mode === 'no-id-professional') return 'professional';
  return mode;
}

/** Whether an awarded certificate of this mode completes a run of this type (audit never does). */
export function modeCompletesRun(mode: string | null, runType: string | null): boolean {
  const m = normalizedMode(mode);
  return m !== null && m !== 'audit' && m === normalizedRunType(runType);
}

/** A course certificate is visible once its config's available date (if any) has passed. */
export function isVisible(c: Pick<CourseCredentialRow, 'certificate_available_date'>, now: Date): boolean {
  return c.certificate_available_date === null || c.certificate_available_date <= now;
}

/**
 * The date a run certificate counts from, by the LMS's program completion rule: the config's
 * available date for an instructor-paced run that has one, else when the certificate was awarded.
 */
export function certificateDate(c: CourseCredentialRow, run: Pick<ProgramRun, 'pacing'>): Date {
  return run.pacing === 'instructor_paced' && c.certificate_available_date
    ? c.certificate_available_date
    : c.awarded_at;
}

export interface CourseProgress {
  course: ProgramCourse;
  /** An awarded, matching certificate on a counted run exists (visible or not yet). */
  earned: boolean;
  /** Earned by a certificate that is visible now. */
  complete: boolean;
  /** The counted run whose qualifying certificate has the earliest date (a visible one first). */
  completingRun: { uuid: string; key: string; date: Date; visible: boolean } | null;
}

export interface ProgramProgress {
  program: ProgramCatalog;
  courses: CourseProgress[];
  earned: boolean;
  complete: boolean;
  completedCourses: number;
  totalCourses: number;
  /** The latest, over courses, of the earliest qualifying certificate date; null until earned. */
  visibleDate: Date | null;
}

export function computeProgress(
  program: ProgramCatalog,
  courseCredentials: CourseCredentialRow[],
  now: Date,
): ProgramProgress {
  const byRun = new Map(courseCredentials.map((c) => [c.course_run_key, c]));
  const courses = program.courses.map((course): CourseProgress => {
    const qualifying = course.runs.flatMap((run) => {
      const c = byRun.get(run.key);
      if (run.excluded || !c || c.status !== 'awarded' || !modeCompletesRun(c.mode, run.type)) return [];
      return [{ uuid: run.uuid, key: run.key, date: certificateDate(c, run), visible: isVisible(c, now) }];
    });
    qualifying.sort((a, b) => Number(b.visible) - Number(a.visible) || a.date.getTime() - b.date.getTime());
    return {
      course,
      earned: qualifying.length > 0,
      complete: qualifying.some((q) => q.visible),
      completingRun: qualifying[0] ?? null,
    };
  });
  const earned = courses.length > 0 && courses.every((c) => c.earned);
  const dates = courses.flatMap((c) => {
    const course = program.courses.find((x) => x.uuid === c.course.uuid)!;
    const ds = course.runs.flatMap((run) => {
      const cred = byRun.get(run.key);
      return !run.excluded && cred && cred.status === 'awarded' && modeCompletesRun(cred.mode, run.type)
        ? [certificateDate(cred, run).getTime()]
        : [];
    });
    return ds.length ? [Math.min(...ds)] : [];
  });
  return {
    program,
    courses,
    earned,
    complete: courses.length > 0 && courses.every((c) => c.complete),
    completedCourses: courses.filter((c) => c.complete).length,
    totalCourses: courses.length,
    visibleDate: earned ? new Date(Math.max(...dates)) : null,
  };
}

/** `%Y-%m-%dT%H:%M:%SZ`, the date format of the credentials API. */
export function apiDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function recordEvent(
  ctx: AppContext,
  trx: Executor,
  type: string,
  learner: LearnerRow,
  credential: UserCredentialRow,
  program: { uuid: string; title: string; typeSlug: string },
  now: Date,
): Promise<void> {
  await events.append(trx, {
    uuid: ctx.ids.uuid(),
    event_type: type,
    aggregate_uuid: credential.uuid,
    payload: {
      credential_uuid: credential.uuid,
      status: credential.status,
      program: { uuid: program.uuid, title: program.title, type_slug: program.typeSlug },
      user: { lms_user_id: learner.lms_user_id, username: learner.username },
    },
    now,
  });
}

/**
 * Sets a program credential's status and records the change as a domain event (only on a change:
 * an idempotent repeat records nothing). Returns the row.
 */
export async function setProgramCredentialStatus(
  ctx: AppContext,
  trx: Executor,
  learner: LearnerRow,
  program: { uuid: string; title: string; typeSlug: string },
  status: 'awarded' | 'revoked',
  now: Date,
): Promise<UserCredentialRow> {
  const existing = await credentials.getProgramCredential(trx, learner.uuid, program.uuid);
  let row: UserCredentialRow;
  if (!existing) {
    row = await credentials.insert(trx, {
      uuid: ctx.ids.uuid(),
      learner_uuid: learner.uuid,
      credential_type: 'program',
      course_run_key: null,
      mode: null,
      program_uuid: program.uuid,
      status,
      date_override: null,
      now,
    });
  } else if (existing.status !== status) {
    row = await credentials.update(
      trx,
      existing.uuid,
      { status, ...(status === 'awarded' ? { awarded_at: now } : {}) },
      now,
    );
  } else {
    return existing;
  }
  await recordEvent(
    ctx,
    trx,
    status === 'awarded' ? PROGRAM_CERTIFICATE_AWARDED : PROGRAM_CERTIFICATE_REVOKED,
    learner,
    row,
    program,
    now,
  );
  return row;
}

/**
 * Re-evaluates the learner's programs after a course certificate changed: awards the program
 * certificate when the program is earned (its visible_date attribute: the latest date of the
 * certificates that complete it), and revokes it only when the program is no longer earned. Open
 * edX revokes every program containing the run even when another run still completes the course;
 * Campus does not.
 */
export async function reevaluatePrograms(
  ctx: AppContext,
  trx: Executor,
  learner: LearnerRow,
  programUuids: string[],
  now: Date,
): Promise<void> {
  if (programUuids.length === 0) return;
  const courseCredentials = await credentials.courseCredentialsOf(trx, learner.uuid);
  for (const uuid of programUuids) {
    const program = await loadProgram(ctx, trx, uuid);
    if (!program) continue;
    const progress = computeProgress(program, courseCredentials, now);
    const held = await credentials.getProgramCredential(trx, learner.uuid, uuid);
    if (progress.earned && (program.status === 'active' || program.status === 'retired')) {
      const row = await setProgramCredentialStatus(ctx, trx, learner, program, 'awarded', now);
      await credentials.upsertAttribute(trx, {
        user_credential_uuid: row.uuid,
        name: 'visible_date',
        value: apiDate(progress.visibleDate ?? now),
        now,
      });
    } else if (!progress.earned && held?.status === 'awarded') {
      await setProgramCredentialStatus(ctx, trx, learner, program, 'revoked', now);
    }
  }
}

/** A learner's progress in one program, outside any write. */
export async function programProgress(
  ctx: AppContext,
  db: Executor,
  learnerUuid: string | null,
  program: ProgramCatalog,
): Promise<{ progress: ProgramProgress; courseCredentials: CourseCredentialRow[] }> {
  const courseCredentials = learnerUuid ? await credentials.courseCredentialsOf(db, learnerUuid) : [];
  return { progress: computeProgress(program, courseCredentials, ctx.clock.now()), courseCredentials };
}
