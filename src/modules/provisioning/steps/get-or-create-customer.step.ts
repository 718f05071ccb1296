import { z } from 'zod';
import { getOrCreateCustomer } from '../../enterprise/index.js';
import { defineStep } from '../../workflows/index.js';
import { customerRecord, slug } from '../provisioning.schemas.js';

export const customerInput = z.object({ name: z.string(), slug, country: z.string() });

/** The customer with the slug, as it is, or a new one. */
export const getOrCreateCustomerStep = defineStep({
  id: 'get-or-create-customer',
  input: customerInput,
  output: customerRecord,
  async run(ctx, input) {
    const { customer } = await getOrCreateCustomer(ctx, ctx.actor, input);
    return { uuid: customer.uuid, name: customer.name, slug: customer.slug, country: customer.country };
  },
});
