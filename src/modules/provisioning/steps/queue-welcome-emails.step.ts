import { z } from 'zod';
import { sendEmails } from '../../notifications/index.js';
import { defineStep } from '../../workflows/index.js';
import { welcomeAdminEmail } from '../welcome-email.js';
import { getOrCreateAdminsStep } from './get-or-create-admins.step.js';
import { getOrCreateCustomerStep } from './get-or-create-customer.step.js';

/**
 * Queues a welcome email to each new admin through the outbox, in the step's transaction; the key
 * per customer and email keeps a re-run (or a second provisioning) from sending it twice.
 */
export const queueWelcomeEmailsStep = defineStep({
  id: 'queue-welcome-emails',
  input: z.object({}),
  output: z.object({ recipients: z.array(z.string()), queued: z.number().int() }),
  async run(ctx, _input, previous) {
    const customer = previous.get(getOrCreateCustomerStep);
    const recipients = previous.get(getOrCreateAdminsStep).created_admins.map((a) => a.user_email);
    const queued = await sendEmails(
      ctx,
      ctx.trx,
      welcomeAdminEmail,
      recipients.map((to) => ({
        to,
        context: { customerName: customer.name, slug: customer.slug, adminEmail: to },
        idempotencyKey: `provisioning-welcome:${customer.uuid}:${to}`,
      })),
    );
    return { recipients, queued };
  },
});
