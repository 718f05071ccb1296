import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import { getEnterpriseCustomer } from '../enterprise/index.js';
import { type EmailTemplate, sendEmails } from '../notifications/index.js';
import type { RequestEmail } from './emails.js';
import type { RequestRow } from './schema.js';

/**
 * Queues one email per request to its learner, in the caller's transaction (so a message exists
 * if and only if the change committed). One customer read per enterprise and one outbox insert.
 */
export async function emailLearners(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  template: EmailTemplate<RequestEmail>,
  rows: RequestRow[],
  extra: { declineReason?: string | null } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const names = new Map<string, string>();
  for (const customer of new Set(rows.map((r) => r.enterprise_customer_uuid))) {
    names.set(customer, (await getEnterpriseCustomer(trx, customer))?.name ?? 'Your organization');
  }
  await sendEmails(
    deps,
    trx,
    template,
    rows.map((r) => ({
      to: r.email,
      context: {
        organization: names.get(r.enterprise_customer_uuid) ?? 'Your organization',
        courseTitle: r.course_title ?? '',
        courseId: r.course_id,
        ...extra,
      },
    })),
  );
}
