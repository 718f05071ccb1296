import type { AppContext } from '../../context.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { readableByRole, requireRead } from './authorize.js';
import * as customers from './customers.repository.js';
import {
  customerExists,
  customerInUse,
  customerNotFound,
  isForeignKeyViolation,
  slugTaken,
  uniqueViolation,
} from './enterprise.errors.js';
import type { EnterpriseCustomer } from './schema.js';

export interface CustomerInput {
  uuid?: string;
  name: string;
  slug: string;
  active?: boolean;
  country?: string | null;
  contact_email?: string | null;
  auth_org_id?: string | null;
  enable_data_sharing_consent?: boolean;
}

export type CustomerPatch = Partial<Omit<CustomerInput, 'uuid'>>;

function refuseDuplicate(err: unknown, input: { uuid?: string; slug?: string }): never {
  const constraint = uniqueViolation(err);
  if (constraint !== null) {
    if (constraint.includes('slug') || !input.uuid) throw slugTaken(input.slug ?? '');
    throw customerExists(input.uuid);
  }
  throw err;
}

/** Operators see every customer; others those they hold a role in or belong to (scoped in the query). */
export async function listCustomers(
  ctx: AppContext,
  actor: Principal,
  input: { offset: number; limit: number; slug?: string },
): Promise<{ count: number; rows: EnterpriseCustomer[] }> {
  const byRole = readableByRole(actor);
  const scope: customers.CustomerScope =
    byRole === '*' ? '*' : { uuids: byRole, memberLmsUserId: actor.lmsUserId };
  return customers.list(ctx.db.kysely, scope, input, input.slug);
}

export async function getCustomer(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
): Promise<EnterpriseCustomer> {
  await requireRead(ctx.db.kysely, actor, uuid);
  const row = await customers.getByUuid(ctx.db.kysely, uuid);
  if (!row) throw customerNotFound(uuid);
  return row;
}

export async function createCustomer(
  ctx: AppContext,
  actor: Principal,
  input: CustomerInput,
): Promise<EnterpriseCustomer> {
  requireOperator(actor);
  if (await customers.getBySlug(ctx.db.kysely, input.slug)) throw slugTaken(input.slug);
  if (input.uuid && (await customers.getByUuid(ctx.db.kysely, input.uuid))) throw customerExists(input.uuid);
  try {
    return await ctx.db.transaction((trx) =>
      customers.create(trx, {
        uuid: input.uuid ?? ctx.ids.uuid(),
        name: input.name,
        slug: input.slug,
        active: input.active ?? true,
        country: input.country ?? null,
        contact_email: input.contact_email ?? null,
        auth_org_id: input.auth_org_id ?? null,
        enable_data_sharing_consent: input.enable_data_sharing_consent ?? false,
        now: ctx.clock.now(),
      }),
    );
  } catch (err) {
    refuseDuplicate(err, input);
  }
}

export async function updateCustomer(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  patch: CustomerPatch,
): Promise<EnterpriseCustomer> {
  requireOperator(actor);
  if (patch.slug !== undefined) {
    const other = await customers.getBySlug(ctx.db.kysely, patch.slug);
    if (other && other.uuid !== uuid) throw slugTaken(patch.slug);
  }
  try {
    const row = await ctx.db.transaction((trx) => customers.update(trx, uuid, patch, ctx.clock.now()));
    if (!row) throw customerNotFound(uuid);
    return row;
  } catch (err) {
    refuseDuplicate(err, { slug: patch.slug });
  }
}

/** Deletes a customer that nothing refers to; one with learners, catalogs or subsidies is deactivated instead. */
export async function deleteCustomer(ctx: AppContext, actor: Principal, uuid: string): Promise<void> {
  requireOperator(actor);
  try {
    if (!(await ctx.db.transaction((trx) => customers.remove(trx, uuid)))) throw customerNotFound(uuid);
  } catch (err) {
    if (isForeignKeyViolation(err)) throw customerInUse(uuid);
    throw err;
  }
}
