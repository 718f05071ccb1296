import type { AppContext } from '../../context.js';
import { type Principal, requireOperator } from '../../shared/principal.js';
import { type CustomerInput, createCustomer } from './customers.js';
import * as customers from './customers.repository.js';
import { uniqueViolation } from './enterprise.errors.js';
import type { EnterpriseCustomer } from './schema.js';

/**
 * The customer with this slug, or a new one (provisioning's first step). An existing customer is
 * returned as it is: a different name or country is logged, not changed (the reference does the
 * same). Two callers racing on one slug both answer with the one customer.
 */
export async function getOrCreateCustomer(
  ctx: AppContext,
  actor: Principal,
  input: CustomerInput,
): Promise<{ customer: EnterpriseCustomer; created: boolean }> {
  requireOperator(actor);
  const found = await customers.getBySlug(ctx.db.kysely, input.slug);
  if (found) {
    if (found.name !== input.name || (input.country !== undefined && found.country !== input.country)) {
      ctx.log.warn(
        { slug: input.slug, existing: { name: found.name, country: found.country }, requested: input },
        'enterprise customer found by slug differs from the request; keeping it as it is',
      );
    }
    return { customer: found, created: false };
  }
  try {
    return { customer: await createCustomer(ctx, actor, input), created: true };
  } catch (err) {
    // Lost the race for the slug (a database error only when it is really concurrent).
    const lost = (err as { errorCode?: unknown }).errorCode === 'slug_taken' || uniqueViolation(err) !== null;
    const winner = lost ? await customers.getBySlug(ctx.db.kysely, input.slug) : undefined;
    if (winner) return { customer: winner, created: false };
    throw err;
  }
}
