import { z } from 'zod';
import { addPendingAdmins, listAdminContacts } from '../../enterprise/index.js';
import { defineStep } from '../../workflows/index.js';
import { customerAdminsRecord } from '../provisioning.schemas.js';
import { getOrCreateCustomerStep } from './get-or-create-customer.step.js';

export const adminsInput = z.object({ user_emails: z.array(z.string()) });

/**
 * Makes the emails admins of the customer: known users at once, the others as pending admins
 * linked when they first sign in. Those already admins are reported as existing.
 */
export const getOrCreateAdminsStep = defineStep({
  id: 'get-or-create-admins',
  input: adminsInput,
  output: customerAdminsRecord,
  async run(ctx, input, previous) {
    const customer = previous.get(getOrCreateCustomerStep);
    const before = new Set(
      (await listAdminContacts(ctx.trx, customer.uuid)).map((c) => c.email.toLowerCase()),
    );
    const emails = [...new Set(input.user_emails.map((e) => e.toLowerCase()))];
    await addPendingAdmins(ctx, ctx.trx, customer.uuid, emails);
    return {
      enterprise_customer_uuid: customer.uuid,
      created_admins: emails.filter((e) => !before.has(e)).map((user_email) => ({ user_email })),
      existing_admins: emails.filter((e) => before.has(e)).map((user_email) => ({ user_email })),
    };
  },
});
