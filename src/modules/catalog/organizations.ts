import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import type { Listed } from './course-types.js';
import { isUuid } from './lookup-keys.js';
import {
  getOrganizationByKey,
  getOrganizationByUuid,
  insertOrganization,
  listOrganizations as listRows,
  type OrganizationFilter,
  updateOrganizationName,
} from './organizations.repository.js';
import { type OrganizationView, toOrganizationView } from './views.js';

export const ORG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

export async function listOrganizations(
  ctx: AppContext,
  _actor: Principal,
  input: OrganizationFilter & { offset: number; limit: number },
): Promise<Listed<OrganizationView>> {
  const { offset, limit, ...filter } = input;
  const db = ctx.db.kysely;
  const { count, rows } = await listRows(db, filter, { offset, limit });
  return { count, rows: rows.map(toOrganizationView) };
}

/** By key (`edX`) or uuid. */
export async function getOrganization(
  ctx: AppContext,
  _actor: Principal,
  keyOrUuid: string,
): Promise<OrganizationView> {
  const db = ctx.db.kysely;
  const row = isUuid(keyOrUuid)
    ? ((await getOrganizationByUuid(db, keyOrUuid)) ?? (await getOrganizationByKey(db, keyOrUuid)))
    : await getOrganizationByKey(db, keyOrUuid);
  if (!row) throw new NotFound('No organization with this key.');
  return toOrganizationView(row);
}

export async function createOrganization(
  ctx: AppContext,
  actor: Principal,
  input: { key: string; name: string },
): Promise<OrganizationView> {
  requireRole(actor, 'catalog_admin');
  if (!ORG_KEY.test(input.key)) {
    throw ValidationFailed.field(
      'key',
      'Use letters, digits, ".", "_" or "-" only.',
      'invalid_organization_key',
    );
  }
  const row = await insertOrganization(ctx.db.kysely, {
    uuid: ctx.ids.uuid(),
    key: input.key,
    name: input.name,
    now: ctx.clock.now(),
  });
  if (!row) {
    throw ValidationFailed.field(
      'key',
      `An organization with key [${input.key}] already exists.`,
      'duplicate_organization_key',
    );
  }
  return toOrganizationView(row);
}

/** Only the name changes: course keys are built from the org key and never change. */
export async function updateOrganization(
  ctx: AppContext,
  actor: Principal,
  keyOrUuid: string,
  input: { name?: string },
): Promise<OrganizationView> {
  requireRole(actor, 'catalog_admin');
  const found = await getOrganization(ctx, actor, keyOrUuid);
  if (input.name === undefined) return found;
  return toOrganizationView(
    await updateOrganizationName(ctx.db.kysely, found.uuid, input.name, ctx.clock.now()),
  );
}
