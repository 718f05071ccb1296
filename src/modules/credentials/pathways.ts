import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { Conflict, NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { loadProgram } from './catalog-reads.js';
import type { PathwayPatch, pathwayBody } from './credentials.schemas.js';
import * as creditRequests from './credit-requests.repository.js';
import * as pathways from './pathways.repository.js';
import type { PathwayRow } from './schema.js';
import { pathwayView } from './views.js';

/** Credit and industry pathways with their programs: CRUD for staff and credentials admins. */

async function withPrograms(db: Executor, rows: PathwayRow[]) {
  const links = await pathways.programsOf(
    db,
    rows.map((r) => r.uuid),
  );
  return rows.map((r) =>
    pathwayView(
      r,
      links.filter((l) => l.pathway_uuid === r.uuid).map((l) => l.program_uuid),
    ),
  );
}

async function requireKnownPrograms(ctx: AppContext, db: Executor, uuids: string[]): Promise<string[]> {
  const unique = [...new Set(uuids)];
  for (const uuid of unique) {
    if (!(await loadProgram(ctx, db, uuid)))
      throw ValidationFailed.field('programs', `No program with the uuid ${uuid}.`);
  }
  return unique;
}

export async function listPathways(
  ctx: AppContext,
  actor: Principal,
  page: { offset: number; limit: number },
) {
  requireRole(actor, 'credentials_admin');
  const db = ctx.db.kysely;
  const { count, rows } = await pathways.list(db, page);
  return { count, results: await withPrograms(db, rows) };
}

export async function getPathway(ctx: AppContext, actor: Principal, uuid: string) {
  requireRole(actor, 'credentials_admin');
  const row = await pathways.getByUuid(ctx.db.kysely, uuid);
  if (!row) throw new NotFound('No pathway with this id.', 'pathway_not_found');
  return (await withPrograms(ctx.db.kysely, [row]))[0]!;
}

export async function createPathway(ctx: AppContext, actor: Principal, input: z.infer<typeof pathwayBody>) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const programs = await requireKnownPrograms(ctx, trx, input.programs);
    const row = await pathways.insert(trx, {
      uuid: ctx.ids.uuid(),
      name: input.name,
      org_name: input.org_name,
      email: input.email,
      destination_url: input.destination_url ?? null,
      description: input.description ?? null,
      pathway_type: input.pathway_type,
      status: input.status,
      now,
    });
    await pathways.insertPrograms(trx, row.uuid, programs);
    return (await withPrograms(trx, [row]))[0]!;
  });
}

export async function updatePathway(
  ctx: AppContext,
  actor: Principal,
  input: { uuid: string; patch: PathwayPatch },
) {
  requireRole(actor, 'credentials_admin');
  const now = ctx.clock.now();
  const { programs, ...fields } = input.patch;
  return ctx.db.transaction(async (trx) => {
    const existing = await pathways.getByUuid(trx, input.uuid);
    if (!existing) throw new NotFound('No pathway with this id.', 'pathway_not_found');
    const row = await pathways.update(trx, existing.uuid, fields, now);
    if (programs) {
      const known = await requireKnownPrograms(ctx, trx, programs);
      await pathways.deletePrograms(trx, row.uuid);
      await pathways.insertPrograms(trx, row.uuid, known);
    }
    return (await withPrograms(trx, [row]))[0]!;
  });
}

/** Deletes a pathway nobody requested credit from; one with requests is kept (retire it instead). */
export async function deletePathway(ctx: AppContext, actor: Principal, uuid: string): Promise<void> {
  requireRole(actor, 'credentials_admin');
  await ctx.db.transaction(async (trx) => {
    const existing = await pathways.getByUuid(trx, uuid);
    if (!existing) throw new NotFound('No pathway with this id.', 'pathway_not_found');
    if ((await creditRequests.countForPathway(trx, uuid)) > 0) {
      throw new Conflict(
        'Learners requested credit from this pathway; retire it instead.',
        'pathway_has_requests',
      );
    }
    await pathways.remove(trx, uuid);
  });
}
