import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { type PaginationQuery, pageWindow } from '../../http/pagination.js';
import type { Clock } from '../../shared/clock.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Ids } from '../../shared/ids.js';
import { canonicalUuid, type Principal } from '../../shared/principal.js';
import { loadConfiguration, requireAssignmentAdmin, requireConfigurationWriter } from './access.js';
import * as configurations from './configurations.repository.js';
import { policies } from './policies.js';
import { type ConfigurationView, configurationView } from './views.js';

/** A new configuration for an assigned-credit policy being created (inside the caller's transaction). */
export async function ensureAssignmentConfiguration(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  input: { enterpriseCustomerUuid: string },
): Promise<{ uuid: string }> {
  const now = deps.clock.now();
  const row = await configurations.insert(trx, {
    uuid: deps.ids.uuid(),
    enterprise_customer_uuid: canonicalUuid(input.enterpriseCustomerUuid),
    active: true,
    created: now,
    modified: now,
  });
  return { uuid: row.uuid };
}

async function view(db: Executor, uuid: string): Promise<ConfigurationView> {
  const row = await loadConfiguration(db, uuid);
  const policy = await policies().ofConfiguration(db, uuid);
  return configurationView(row, policy?.uuid ?? null);
}

export async function listConfigurations(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; active?: boolean; page: PaginationQuery },
): Promise<{ count: number; results: ConfigurationView[] }> {
  requireAssignmentAdmin(actor, input.enterpriseCustomerUuid);
  const db = ctx.db.kysely;
  const filter = {
    enterpriseCustomerUuid: canonicalUuid(input.enterpriseCustomerUuid),
    active: input.active,
  };
  const { count, rows } = await configurations.list(db, filter, pageWindow(input.page));
  const results = await Promise.all(
    rows.map(async (r) => configurationView(r, (await policies().ofConfiguration(db, r.uuid))?.uuid ?? null)),
  );
  return { count, results };
}

export async function getConfiguration(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<ConfigurationView> {
  const row = await loadConfiguration(ctx.db.kysely, uuid);
  requireAssignmentAdmin(actor, row.enterprise_customer_uuid);
  return view(ctx.db.kysely, uuid);
}

export async function createConfiguration(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string },
): Promise<ConfigurationView> {
  requireConfigurationWriter(actor);
  const { uuid } = await ctx.db.transaction((trx) => ensureAssignmentConfiguration(ctx, trx, input));
  return view(ctx.db.kysely, uuid);
}

/** PATCH/PUT: only `active` may change; any other field is refused by name. */
export async function updateConfiguration(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  body: Record<string, unknown>,
): Promise<ConfigurationView> {
  requireConfigurationWriter(actor);
  await loadConfiguration(ctx.db.kysely, uuid);
  const others = Object.keys(body).filter((k) => k !== 'active');
  if (others.length > 0) {
    const message = `Field(s) are not updatable: ${others.join(', ')}`;
    throw new ValidationFailed(
      message,
      Object.fromEntries(others.map((f) => [f, ['This field is not updatable.']])),
      'field_not_updatable',
    );
  }
  if (body.active !== undefined) {
    if (typeof body.active !== 'boolean') throw ValidationFailed.field('active', 'Must be a boolean.');
    await configurations.setActive(ctx.db.kysely, uuid, body.active, ctx.clock.now());
  }
  return view(ctx.db.kysely, uuid);
}

/** DELETE is a soft delete: the configuration turns inactive and stays readable. */
export async function deleteConfiguration(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<ConfigurationView> {
  requireConfigurationWriter(actor);
  const row = await loadConfiguration(ctx.db.kysely, uuid);
  if (row.active) await configurations.setActive(ctx.db.kysely, uuid, false, ctx.clock.now());
  return view(ctx.db.kysely, uuid);
}
