import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { NotAuthenticated, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { loadProgram, type ProgramCatalog, programsCountingRun } from './catalog-reads.js';
import type { CourseCredentialRow } from './credentials.repository.js';
import * as credentials from './credentials.repository.js';
import type { GradeRowOut, ProgramRecord } from './credentials.schemas.js';
import * as creditRequests from './credit-requests.repository.js';
import * as grades from './grades.repository.js';
import { findLearner, findSelf, isSelf, requireSelfOrAdmin } from './learners.js';
import * as learners from './learners.repository.js';
import * as pathways from './pathways.repository.js';
import { apiDate, isVisible } from './program-progress.js';
import type { LearnerRow, UserCredentialRow } from './schema.js';
import * as sharedLinks from './shared-links.repository.js';

/** Program records, as in Open edX credentials: the learner's list, one record, its share link and CSV. */

export const hex = (uuid: string) => uuid.replace(/-/g, '');

/** The public URL of a shared record (the CSV is this plus `csv`). */
export const sharedRecordUrl = (origin: string, linkUuid: string) =>
  `${origin}/credentials/records/programs/shared/${hex(linkUuid)}/`;

interface RecordLearner {
  uuid: string | null;
  username: string;
  fullName: string | null;
  email: string | null;
}

const maxDate = (a: Date | null, b: Date) => (a && a >= b ? a : b);

/** An awarded program credential is visible once its visible_date attribute (if any) has passed. */
async function programCredentialVisible(db: Executor, row: UserCredentialRow, now: Date): Promise<boolean> {
  const visible = (await credentials.attributesOf(db, [row.uuid])).find((a) => a.name === 'visible_date');
  return !visible || new Date(visible.value) <= now;
}

async function isCompleted(db: Executor, learnerUuid: string | null, programUuid: string, now: Date) {
  if (!learnerUuid) return false;
  const held = await credentials.getProgramCredential(db, learnerUuid, programUuid);
  return held?.status === 'awarded' && (await programCredentialVisible(db, held, now));
}

const issueDate = (c: CourseCredentialRow) => c.date_override ?? c.certificate_available_date ?? c.awarded_at;

/**
 * One program record. Rows follow the program's courses; a course's row shows the run of its
 * highest verified grade among awarded runs (so the run key, date and grade agree, unlike the
 * reference), attempts count graded runs with any certificate, revoked ones included.
 */
export async function buildRecord(
  ctx: AppContext,
  db: Executor,
  learner: RecordLearner,
  program: ProgramCatalog,
  options: { isPublic: boolean },
): Promise<ProgramRecord> {
  const now = ctx.clock.now();
  const counted = program.courses.flatMap((c) => c.runs.filter((r) => !r.excluded).map((r) => r.key));
  const [held, gradeRows, link, programPathways, requests] = learner.uuid
    ? await Promise.all([
        credentials.courseCredentialsOf(db, learner.uuid),
        grades.gradesOf(db, learner.uuid, counted),
        sharedLinks.get(db, learner.uuid, program.uuid),
        pathways.pathwaysOfProgram(db, program.uuid),
        creditRequests.ofLearnerAndProgram(db, learner.uuid, program.uuid),
      ])
    : [[], [], undefined, await pathways.pathwaysOfProgram(db, program.uuid), []];
  const visible = held.filter((c) => isVisible(c, now));
  let lastUpdated: Date | null = null;

  const rows: GradeRowOut[] = program.courses.map((course) => {
    let attempts = 0;
    let best: { cred: CourseCredentialRow; percent: number; letter: string } | null = null;
    let awarded: CourseCredentialRow | null = null;
    for (const run of course.runs.filter((r) => !r.excluded)) {
      const cred = visible.find((c) => c.course_run_key === run.key);
      if (!cred) continue;
      if (cred.status === 'awarded') awarded = cred;
      const grade = gradeRows.find((g) => g.course_run_key === run.key && g.verified);
      if (!grade) continue;
      attempts += 1;
      lastUpdated = maxDate(maxDate(lastUpdated, issueDate(cred)), grade.modified);
      const percent = Number(grade.percent_grade);
      if (cred.status === 'awarded' && (!best || percent > best.percent)) {
        best = { cred, percent, letter: grade.letter_grade };
      }
    }
    const shown = best?.cred ?? awarded;
    if (shown) lastUpdated = maxDate(lastUpdated, issueDate(shown));
    return {
      name: course.title,
      school: course.school,
      attempts,
      // Always a string, "" until earned: the learner-record page strips `course-v1:` from it.
      course_id: shown?.course_run_key ?? '',
      issue_date: shown ? apiDate(issueDate(shown)) : null,
      percent_grade: best ? best.percent : null,
      letter_grade: best ? best.letter || 'N/A' : null,
    };
  });

  return {
    learner: {
      username: learner.username,
      full_name: learner.fullName,
      // The public record keeps the email out, yet the page interpolates `email`: an empty string.
      email: options.isPublic ? '' : learner.email,
    },
    platform_name: ctx.config.platformName,
    program: {
      name: program.title,
      uuid: hex(program.uuid),
      school: program.school,
      completed: await isCompleted(db, learner.uuid, program.uuid, now),
      empty: !rows.some((r) => r.issue_date !== null && r.percent_grade !== null),
      type: program.typeSlug,
      type_name: program.typeName,
      last_updated: apiDate(lastUpdated ?? now),
    },
    grades: rows,
    pathways: programPathways
      .filter((p) => p.status === 'published')
      .map((p) => ({
        id: p.uuid,
        name: p.name,
        // Per (pathway, program): a request for another program sharing the pathway does not show here.
        status: requests.find((r) => r.pathway_uuid === p.uuid)?.status ?? '',
        is_active: p.email !== '',
        pathway_type: p.pathway_type,
      })),
    shared_program_record_uuid: link ? hex(link.uuid) : null,
  };
}

const recordLearner = (row: LearnerRow | undefined, fallback: Principal | null): RecordLearner => ({
  uuid: row?.uuid ?? null,
  username: row?.username ?? fallback?.username ?? '',
  fullName: row?.full_name ?? fallback?.fullName ?? null,
  email: row?.email ?? fallback?.email ?? null,
});

/** GET /records/api/v1/program_records/: programs (active or retired) where the learner holds a visible certificate. */
export async function listProgramRecords(ctx: AppContext, actor: Principal, input: { username?: string }) {
  const db = ctx.db.kysely;
  const other = input.username !== undefined && !isSelf(actor, { username: input.username });
  if (other) requireSelfOrAdmin(actor, { username: input.username });
  const learner = other ? await findLearner(db, { username: input.username }) : await findSelf(db, actor);
  if (!learner) {
    if (other) throw new NotFound('No learner with this username.', 'learner_not_found');
    return { enrolled_programs: [] };
  }
  const now = ctx.clock.now();
  const held = (await credentials.courseCredentialsOf(db, learner.uuid)).filter(
    (c) => c.status === 'awarded' && isVisible(c, now),
  );
  const programUuids = new Set<string>();
  for (const c of held) {
    for (const uuid of await programsCountingRun(ctx, c.course_run_key!, 'listed')) programUuids.add(uuid);
  }
  const items = [];
  for (const uuid of programUuids) {
    const program = await loadProgram(ctx, db, uuid);
    if (!program || (program.status !== 'active' && program.status !== 'retired')) continue;
    const runKeys = new Set(
      program.courses.flatMap((c) => c.runs.filter((r) => !r.excluded).map((r) => r.key)),
    );
    const last = held
      .filter((c) => runKeys.has(c.course_run_key!))
      .reduce<Date | null>((d, c) => maxDate(d, c.modified), null);
    items.push({
      name: program.title,
      uuid: hex(program.uuid),
      partner: program.school,
      completed: await isCompleted(db, learner.uuid, program.uuid, now),
      empty: false,
      last_updated: apiDate(last ?? now),
      type: program.typeSlug,
      type_name: program.typeName,
    });
  }
  items.sort((a, b) => a.name.localeCompare(b.name));
  return { enrolled_programs: items };
}

/**
 * GET /records/api/v1/program_records/{uuid}/: with `is_public=true` the uuid is a shared record's
 * and anyone may read it (without the learner's email); otherwise it is the program's and the
 * caller reads their own record (credentials admins anyone's with ?username=).
 */
export async function programRecordDetail(
  ctx: AppContext,
  principal: Principal | null,
  uuid: string,
  input: { isPublic: boolean; username?: string },
) {
  const db = ctx.db.kysely;
  if (input.isPublic) {
    const link = await sharedLinks.getByUuid(db, uuid);
    const learner = link ? await learners.getByUuid(db, link.learner_uuid) : undefined;
    const program = link ? await loadProgram(ctx, db, link.program_uuid) : null;
    if (!link || !learner || !program)
      throw new NotFound('No shared program record with this uuid.', 'record_not_found');
    const record = await buildRecord(ctx, db, recordLearner(learner, null), program, { isPublic: true });
    return { record, is_public: true, uuid: hex(link.uuid), records_help_url: ctx.config.recordsHelpUrl };
  }
  if (!principal) throw new NotAuthenticated();
  const other = input.username !== undefined && !isSelf(principal, { username: input.username });
  if (other) requireSelfOrAdmin(principal, { username: input.username });
  const program = await loadProgram(ctx, db, uuid);
  if (!program) throw new NotFound('No program with this uuid.', 'program_not_found');
  const learner = other ? await findLearner(db, { username: input.username }) : await findSelf(db, principal);
  if (other && !learner) throw new NotFound('No learner with this username.', 'learner_not_found');
  const record = await buildRecord(ctx, db, recordLearner(learner, other ? null : principal), program, {
    isPublic: false,
  });
  return { record, is_public: false, uuid: hex(program.uuid), records_help_url: ctx.config.recordsHelpUrl };
}

const CSV_FORMULA = /^[=+\-@\t\r]/;
const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet; keep numbers as they are.
  const safe = CSV_FORMULA.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** GET /records/programs/shared/{uuid}/csv: the shared record as CSV (without the learner's email). */
export async function sharedRecordCsv(
  ctx: AppContext,
  uuid: string,
): Promise<{ filename: string; body: string }> {
  const { record } = await programRecordDetail(ctx, null, uuid, { isPublic: true });
  const lines: unknown[][] = [
    ['Program Name', record.program.name],
    ['Program Type', record.program.type_name],
    ['Platform Provider', record.platform_name],
    ['Authoring Organization(s)', record.program.school],
    ['Learner Name', record.learner.full_name ?? record.learner.username],
    ['Username', record.learner.username],
    [],
    ['name', 'school', 'attempts', 'course_id', 'issue_date', 'percent_grade', 'letter_grade'],
    ...record.grades.map((g) => [
      g.name,
      g.school,
      g.attempts,
      g.course_id,
      g.issue_date,
      g.percent_grade,
      g.letter_grade,
    ]),
  ];
  const body = `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
  const filename = `${record.learner.username}_${record.program.name}_grades.csv`
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/["\\/;]/g, '');
  return { filename, body };
}
