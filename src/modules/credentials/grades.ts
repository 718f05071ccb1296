import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { loadRun } from './catalog-reads.js';
import type { gradeBody, gradePatchBody } from './credentials.schemas.js';
import * as grades from './grades.repository.js';
import { ensureLearner } from './learners.js';
import * as learners from './learners.repository.js';
import { gradeView } from './views.js';

/** POST /api/v2/grades/: update-or-create on (learner, run); 201 either way. A null letter is stored as "". */
export async function upsertGrade(ctx: AppContext, actor: Principal, input: z.infer<typeof gradeBody>) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const run = await loadRun(ctx, trx, input.course_run);
    if (!run)
      throw ValidationFailed.field('course_run', `No CourseRun exists for key [${input.course_run}].`);
    const learner = await ensureLearner({ ids: ctx.ids, now }, trx, {
      username: input.username,
      lmsUserId: input.lms_user_id,
    });
    const row = await grades.upsert(trx, {
      uuid: ctx.ids.uuid(),
      learner_uuid: learner.uuid,
      course_run_key: run.key,
      letter_grade: input.letter_grade ?? '',
      percent_grade: input.percent_grade,
      verified: input.verified,
      lms_last_updated_at: input.lms_last_updated_at ? new Date(input.lms_last_updated_at) : null,
      now,
    });
    return gradeView(row, learner);
  });
}

/** PUT/PATCH /api/v2/grades/{id}/: changes the grade fields; the learner and run stay. */
export async function updateGrade(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; patch: z.infer<typeof gradePatchBody> },
) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const row = await grades.getByUuid(trx, input.uuid);
    if (!row) throw new NotFound('No grade with this id.', 'grade_not_found');
    const learner = (await learners.getByUuid(trx, row.learner_uuid))!;
    const p = input.patch;
    if (p.username !== undefined && p.username !== learner.username) {
      throw ValidationFailed.field('username', 'cannot be changed on a grade');
    }
    if (p.course_run !== undefined && p.course_run !== row.course_run_key) {
      throw ValidationFailed.field('course_run', 'cannot be changed on a grade');
    }
    const updated = await grades.update(
      trx,
      row.uuid,
      {
        ...(p.letter_grade !== undefined ? { letter_grade: p.letter_grade ?? '' } : {}),
        ...(p.percent_grade !== undefined ? { percent_grade: p.percent_grade } : {}),
        ...(p.verified !== undefined ? { verified: p.verified } : {}),
        ...(p.lms_last_updated_at !== undefined
          ? { lms_last_updated_at: p.lms_last_updated_at ? new Date(p.lms_last_updated_at) : null }
          : {}),
      },
      now,
    );
    return gradeView(updated, learner);
  });
}
