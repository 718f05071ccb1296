import { z } from 'zod';
import { getOrCreateCatalog } from '../../enterprise/index.js';
import { defineStep } from '../../workflows/index.js';
import { catalogRecord } from '../provisioning.schemas.js';
import { getOrCreateCustomerStep } from './get-or-create-customer.step.js';

export const catalogInput = z.object({
  title: z.string(),
  content_filter: z.record(z.string(), z.unknown()),
});

/** The customer's catalog with the title, or a new one over the content filter. */
export const getOrCreateCatalogStep = defineStep({
  id: 'get-or-create-catalog',
  input: catalogInput,
  output: catalogRecord,
  async run(ctx, input, previous) {
    const customer = previous.get(getOrCreateCustomerStep);
    const { catalog } = await getOrCreateCatalog(ctx, ctx.actor, {
      enterprise_customer: customer.uuid,
      title: input.title,
      content_filter: input.content_filter,
    });
    return {
      uuid: catalog.uuid,
      enterprise_customer_uuid: catalog.enterprise_customer_uuid,
      title: catalog.title,
      content_filter: catalog.content_filter,
    };
  },
});
