import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import { getEnterpriseCustomer, listAdminContacts } from '../enterprise/index.js';
import { sendEmails } from '../notifications/index.js';
import * as digests from './digests.repository.js';
import { newRequestsDigestEmail } from './emails.js';
import * as requests from './requests.repository.js';

export interface DigestReport {
  /** Customers with requests asked for since their last digest. */
  customers: number;
  /** Digest emails queued (one per admin of each such customer). */
  emailed: number;
  /** Requests the digests listed. */
  requests: number;
  dry_run: boolean;
  as_of: string;
}

/**
 * Emails each customer's admins the requests still waiting that were asked for since the
 * customer's last digest (reference send_admins_email_with_new_requests), then moves the
 * customer's cursor to `asOf`. Idempotent: a second run finds nothing newer than the cursor, and
 * the emails carry idempotency keys. One transaction per customer, its cursor row locked, so two
 * processes never send the same digest twice.
 */
export async function sendRequestDigests(
  ctx: AppContext,
  options: { asOf?: Date; dryRun?: boolean } = {},
): Promise<DigestReport> {
  const now = ctx.clock.now();
  const asOf = options.asOf ?? now;
  if (!options.dryRun && asOf.getTime() > now.getTime()) {
    throw ValidationFailed.field('as_of', 'a future date is only allowed with a dry run', 'as_of_in_future');
  }
  const customers = await requests.customersWithNewRequests(ctx.db.kysely, asOf);
  const report: DigestReport = {
    customers: customers.length,
    emailed: 0,
    requests: 0,
    dry_run: options.dryRun ?? false,
    as_of: asOf.toISOString(),
  };
  if (options.dryRun) return report;
  for (const customer of customers) {
    const done = await ctx.db.transaction(async (trx) => {
      const since = await digests.lockCursor(trx, customer, now);
      const rows = await requests.requestedBetween(trx, { customerUuid: customer, since, asOf });
      if (rows.length === 0) return { emailed: 0, listed: 0 };
      const [admins, enterprise] = [
        await listAdminContacts(trx, customer),
        await getEnterpriseCustomer(trx, customer),
      ];
      const emailed = await sendEmails(
        ctx,
        trx,
        newRequestsDigestEmail,
        admins.map((a) => ({
          to: a.email,
          idempotencyKey: `request-digest:${customer}:${asOf.toISOString()}:${a.email.toLowerCase()}`,
          context: {
            organization: enterprise?.name ?? 'Your organization',
            requests: rows.map((r) => ({ user_email: r.email, course_title: r.course_title ?? r.course_id })),
          },
        })),
      );
      await digests.setCursor(trx, customer, asOf, now);
      return { emailed, listed: rows.length };
    });
    report.emailed += done.emailed;
    report.requests += done.listed;
  }
  return report;
}
