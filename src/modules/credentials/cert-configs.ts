import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { loadRun } from './catalog-reads.js';
import * as credentials from './credentials.repository.js';
import type { courseCertificateBody, courseCertificatePatchBody } from './credentials.schemas.js';
import { certConfigView } from './views.js';

/**
 * Course certificate configs (one per run): the certificate type and the available date that hides
 * certificates until it passes. Upserted by the LMS when Studio changes the date.
 */
export async function upsertCertConfig(
  ctx: AppContext,
  actor: Principal,
  input: z.infer<typeof courseCertificateBody>,
) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  const date =
    input.certificate_available_date === undefined
      ? undefined
      : input.certificate_available_date === null
        ? null
        : new Date(input.certificate_available_date);
  return ctx.db.transaction(async (trx) => {
    const run = await loadRun(ctx, trx, input.course_id);
    const existing = await credentials.getConfig(trx, input.course_id);
    const row = existing
      ? await credentials.updateConfig(
          trx,
          existing.uuid,
          {
            certificate_type: input.certificate_type,
            is_active: input.is_active,
            ...(date !== undefined ? { certificate_available_date: date } : {}),
          },
          now,
        )
      : await credentials.insertConfig(trx, {
          uuid: ctx.ids.uuid(),
          course_run_key: input.course_id,
          certificate_type: input.certificate_type,
          certificate_available_date: date ?? null,
          is_active: input.is_active,
          now,
        });
    return { view: certConfigView(row, run?.uuid ?? null), created: !existing };
  });
}

export async function getCertConfig(ctx: AppContext, actor: Principal, courseId: string) {
  requireRole(actor, 'credentials_admin');
  const row = await credentials.getConfig(ctx.db.kysely, courseId);
  if (!row)
    throw new NotFound('No certificate configuration for this course run.', 'certificate_config_not_found');
  const run = await loadRun(ctx, ctx.db.kysely, courseId);
  return certConfigView(row, run?.uuid ?? null);
}

export async function updateCertConfig(
  ctx: AppContext,
  actor: Principal,
  input: { courseId: string; patch: z.infer<typeof courseCertificatePatchBody> },
) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  const p = input.patch;
  return ctx.db.transaction(async (trx) => {
    const row = await credentials.getConfig(trx, input.courseId);
    if (!row)
      throw new NotFound('No certificate configuration for this course run.', 'certificate_config_not_found');
    const updated = await credentials.updateConfig(
      trx,
      row.uuid,
      {
        ...(p.certificate_type !== undefined ? { certificate_type: p.certificate_type } : {}),
        ...(p.is_active !== undefined ? { is_active: p.is_active } : {}),
        ...(p.certificate_available_date !== undefined
          ? {
              certificate_available_date: p.certificate_available_date
                ? new Date(p.certificate_available_date)
                : null,
            }
          : {}),
      },
      now,
    );
    const run = await loadRun(ctx, trx, input.courseId);
    return certConfigView(updated, run?.uuid ?? null);
  });
}
