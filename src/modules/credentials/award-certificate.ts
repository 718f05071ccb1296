import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { loadProgram, loadRun, programsCountingRun } from './catalog-reads.js';
import * as credentials from './credentials.repository.js';
import type { CredentialBody, CredentialOut } from './credentials.schemas.js';
import { ensureLearner } from './learners.js';
import * as learners from './learners.repository.js';
import { reevaluatePrograms, setProgramCredentialStatus } from './program-progress.js';
import type { CertificateType, CredentialStatus, UserCredentialRow } from './schema.js';
import { credentialView } from './views.js';

/**
 * The credentials write API (as the LMS calls it): POST is update-or-create ("make this true", always
 * 201), status changes and DELETE flip the status and keep the row. Every change to a course-run
 * certificate re-evaluates the programs that count its run, in the same transaction.
 */

const CERT_TYPES: CertificateType[] = [
  'honor',
  'verified',
  'professional',
  'no-id-professional',
  'masters',
  'audit',
  'credit',
  'executive-education',
];

export async function upsertCredential(
  ctx: AppContext,
  actor: Principal,
  input: CredentialBody,
): Promise<CredentialOut> {
  requireRole(actor, 'credentials_admin');
  const names = input.attributes.map((a) => a.name);
  if (new Set(names).size !== names.length) {
    throw new ValidationFailed('Attribute names cannot be duplicated.', {
      attributes: ['Attribute names cannot be duplicated.'],
    });
  }
  const now = ctx.clock.now();
  const dateOverride = input.date_override?.date ? new Date(input.date_override.date) : null;
  const cred = input.credential;
  const programsToReevaluate =
    'course_run_key' in cred ? await programsCountingRun(ctx, cred.course_run_key) : [];

  return ctx.db.transaction(async (trx) => {
    let row: UserCredentialRow;
    const learner = await ensureLearner({ ids: ctx.ids, now }, trx, {
      username: input.username,
      lmsUserId: input.lms_user_id,
    });
    if ('program_uuid' in cred) {
      const program = await loadProgram(ctx, trx, cred.program_uuid);
      if (!program) {
        throw ValidationFailed.field('program_uuid', `No program exists with the uuid ${cred.program_uuid}.`);
      }
      row = await setProgramCredentialStatus(ctx, trx, learner, program, input.status, now);
    } else {
      const run = await loadRun(ctx, trx, cred.course_run_key);
      if (!run) {
        throw ValidationFailed.field(
          'course_run_key',
          `No course run exists for the key ${cred.course_run_key}.`,
        );
      }
      let config = await credentials.getConfig(trx, run.key);
      config ??= await credentials.insertConfig(trx, {
        uuid: ctx.ids.uuid(),
        course_run_key: run.key,
        certificate_type: CERT_TYPES.includes(cred.mode) ? cred.mode : 'verified',
        certificate_available_date: null,
        is_active: true,
        now,
      });
      if (!config.is_active) {
        throw ValidationFailed.field(
          'course_run_key',
          'The certificate configuration of this run is not active.',
        );
      }
      const existing = await credentials.getCourseCredential(trx, learner.uuid, run.key);
      row = existing
        ? await credentials.update(
            trx,
            existing.uuid,
            {
              status: input.status,
              mode: cred.mode,
              date_override: dateOverride,
              ...(existing.status !== 'awarded' && input.status === 'awarded' ? { awarded_at: now } : {}),
            },
            now,
          )
        : await credentials.insert(trx, {
            uuid: ctx.ids.uuid(),
            learner_uuid: learner.uuid,
            credential_type: 'course-run',
            course_run_key: run.key,
            mode: cred.mode,
            program_uuid: null,
            status: input.status,
            date_override: dateOverride,
            now,
          });
    }
    for (const a of input.attributes) {
      await credentials.upsertAttribute(trx, {
        user_credential_uuid: row.uuid,
        name: a.name,
        value: a.value,
        now,
      });
    }
    await reevaluatePrograms(ctx, trx, learner, programsToReevaluate, now);
    const attributes = await credentials.attributesOf(trx, [row.uuid]);
    return credentialView(row, learner, attributes);
  });
}

/** PATCH/PUT `{status}` and DELETE (revoke): the row stays; programs are re-evaluated. */
export async function setCredentialStatus(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; status: CredentialStatus },
): Promise<CredentialOut> {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  const before = await credentials.getByUuid(ctx.db.kysely, input.uuid);
  if (!before) throw new NotFound('No credential with this uuid.', 'credential_not_found');
  const programsToReevaluate = before.course_run_key
    ? await programsCountingRun(ctx, before.course_run_key)
    : [];
  return ctx.db.transaction(async (trx) => {
    const learner = await learners.getByUuid(trx, before.learner_uuid);
    if (!learner) throw new NotFound('No credential with this uuid.', 'credential_not_found');
    await learners.lock(trx, learner.uuid);
    const current = (await credentials.getByUuid(trx, input.uuid))!;
    let row = current;
    if (current.credential_type === 'program') {
      const program = (await loadProgram(ctx, trx, current.program_uuid!)) ?? {
        uuid: current.program_uuid!,
        title: '',
        typeSlug: '',
      };
      row = await setProgramCredentialStatus(ctx, trx, learner, program, input.status, now);
    } else if (current.status !== input.status) {
      row = await credentials.update(
        trx,
        current.uuid,
        { status: input.status, ...(input.status === 'awarded' ? { awarded_at: now } : {}) },
        now,
      );
      await reevaluatePrograms(ctx, trx, learner, programsToReevaluate, now);
    }
    return credentialView(row, learner, await credentials.attributesOf(trx, [row.uuid]));
  });
}
