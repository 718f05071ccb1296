import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { BusinessRule } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { runStartsAndCourseTypes } from '../catalog/index.js';
import { queuedEmailKeys, sendEmails } from '../notifications/index.js';
import { loadConfiguration, requireAssignmentAdmin } from './access.js';
import * as actions from './actions.repository.js';
import * as assignments from './assignments.repository.js';
import { emailActionRef, pendingEmailAction } from './email-outcomes.js';
import { execEdNudgeEmail } from './emails.js';
import { configurationFacts } from './facts.js';
import type { AssignmentRow } from './schema.js';

/** The course type whose accepted learners are nudged before their run starts (executive education). */
export const EXEC_ED_COURSE_TYPE = 'executive-education-2u';
const DAY_MS = 24 * 3600_000;

export interface NudgeResult {
  nudged_assignment_uuids: string[];
  unnudged_assignment_uuids: string[];
}

/** The UTC calendar date `days` after `now`, as YYYY-MM-DD. */
const dateAfter = (now: Date, days: number) =>
  new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Which of the rows are nudgeable now: accepted, with a preferred run of an executive-education
 * course that starts exactly `days` days from today (UTC calendar dates). One catalog statement.
 */
async function splitNudgeable(
  db: Executor,
  rows: AssignmentRow[],
  days: number,
  now: Date,
): Promise<{ due: Array<{ row: AssignmentRow; start: Date }>; not: AssignmentRow[] }> {
  const runs = await runStartsAndCourseTypes(
    db,
    rows.flatMap((r) => (r.preferred_course_run_key ? [r.preferred_course_run_key] : [])),
  );
  const target = dateAfter(now, days);
  const due: Array<{ row: AssignmentRow; start: Date }> = [];
  const not: AssignmentRow[] = [];
  for (const row of rows) {
    const run = row.preferred_course_run_key ? runs.get(row.preferred_course_run_key) : undefined;
    if (
      row.state === 'accepted' &&
      run?.start &&
      run.courseType === EXEC_ED_COURSE_TYPE &&
      run.start.toISOString().slice(0, 10) === target
    ) {
      due.push({ row, start: run.start });
    } else not.push(row);
  }
  return { due, not };
}

/**
 * Queues the nudge emails and records a `reminded` action waiting for each, in the caller's
 * transaction. The idempotency key holds the run's start date and the day count, so a second run
 * of the job on the same day neither emails nor records again. Returns the rows actually nudged.
 */
async function nudgeRows(
  ctx: AppContext,
  trx: Executor,
  due: Array<{ row: AssignmentRow; start: Date }>,
  days: number,
  organization: (row: AssignmentRow) => string,
): Promise<AssignmentRow[]> {
  if (due.length === 0) return [];
  const now = ctx.clock.now();
  const keyOf = (d: { row: AssignmentRow; start: Date }) =>
    `assignment:${d.row.uuid}:nudged:${d.start.toISOString().slice(0, 10)}:${days}`;
  const already = await queuedEmailKeys(trx, due.map(keyOf));
  const fresh = due.filter((d) => !already.has(keyOf(d)));
  if (fresh.length === 0) return [];
  const pending = fresh.map((d) => ({ ...d, action: pendingEmailAction(ctx, d.row.uuid, 'reminded', now) }));
  await sendEmails(
    ctx,
    trx,
    execEdNudgeEmail,
    pending.map((d) => ({
      to: d.row.learner_email,
      idempotencyKey: keyOf(d),
      ref: emailActionRef(d.action.uuid),
      context: {
        organization: organization(d.row),
        courseTitle: d.row.content_title ?? '',
        contentKey: d.row.preferred_course_run_key ?? d.row.content_key,
        actionRequiredBy: null,
        startDate: d.start.toISOString().slice(0, 10),
        daysBeforeCourseStartDate: days,
      },
    })),
  );
  await actions.insertMany(
    trx,
    pending.map((d) => d.action),
  );
  return fresh.map((d) => d.row);
}

/**
 * `POST .../admin/assignments/nudge/`: emails the learners of accepted executive-education
 * assignments whose preferred run starts in exactly `days` days, recording a `reminded` action
 * each. Unlike the reference, which answers 200 and lists the others as unnudged, any uuid that is
 * not in the configuration or not nudgeable refuses the whole request with 422 naming them, and
 * nothing is sent.
 */
export async function nudgeAssignments(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; assignmentUuids: string[]; daysBeforeCourseStartDate: number },
): Promise<NudgeResult> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const facts = await configurationFacts(db, config);
  return ctx.db.transaction(async (trx) => {
    const wanted = [...new Set(input.assignmentUuids)];
    const found = await assignments.getManyInConfiguration(trx, config.uuid, wanted);
    const notFound = wanted.filter((u) => !found.some((r) => r.uuid === u));
    const { due, not } = await splitNudgeable(trx, found, input.daysBeforeCourseStartDate, ctx.clock.now());
    if (notFound.length || not.length) {
      throw new BusinessRule(
        'assignments_not_nudgeable',
        `Some assignments cannot be nudged: only accepted ${EXEC_ED_COURSE_TYPE} assignments whose run starts in ${input.daysBeforeCourseStartDate} days can.`,
        {
          nudged_assignment_uuids: [],
          unnudged_assignment_uuids: not.map((r) => r.uuid),
          not_found: notFound,
        },
      );
    }
    await nudgeRows(ctx, trx, due, input.daysBeforeCourseStartDate, () => facts.organization);
    return { nudged_assignment_uuids: due.map((d) => d.row.uuid), unnudged_assignment_uuids: [] };
  });
}

export interface NudgeReport {
  checked: number;
  due: number;
  nudged: number;
}

/**
 * `campus jobs nudge-assignments --days-before-start N` (default 30): nudges every accepted
 * executive-education assignment of an active configuration whose run starts in N days.
 * Idempotent on a given day; `dryRun` only counts.
 */
export async function nudgeAcceptedAssignments(
  ctx: AppContext,
  options: { daysBeforeStart?: number; dryRun?: boolean } = {},
): Promise<NudgeReport> {
  const days = options.daysBeforeStart ?? 30;
  const db = ctx.db.kysely;
  const rows = await assignments.acceptedWithPreferredRun(db);
  const { due } = await splitNudgeable(db, rows, days, ctx.clock.now());
  if (options.dryRun || due.length === 0) return { checked: rows.length, due: due.length, nudged: 0 };
  const configs = await db
    .selectFrom('assignment_configurations')
    .select(['uuid', 'enterprise_customer_uuid', 'active', 'created', 'modified'])
    .where('uuid', 'in', [...new Set(due.map((d) => d.row.assignment_configuration_uuid))])
    .execute();
  const orgs = new Map<string, string>();
  for (const c of configs) orgs.set(c.uuid, (await configurationFacts(db, c)).organization);
  const nudged = await ctx.db.transaction((trx) =>
    nudgeRows(ctx, trx, due, days, (r) => orgs.get(r.assignment_configuration_uuid) ?? 'Your organization'),
  );
  return { checked: rows.length, due: due.length, nudged: nudged.length };
}
