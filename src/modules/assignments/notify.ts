import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import type { EmailTemplate } from '../notifications/index.js';
import { sendEmails } from '../notifications/index.js';
import * as actions from './actions.repository.js';
import { emailActionRef, pendingEmailAction } from './email-outcomes.js';
import type { AssignmentEmail } from './emails.js';
import type { ConfigurationFacts, ViewFacts } from './facts.js';
import type { AssignmentRow } from './schema.js';

/**
 * Queues one email per assignment in the caller's transaction and records the action that waits
 * for it: the message exists if and only if the change that caused it commits (two statements),
 * and the action completes or fails when the delivery worker hears from SMTP.
 */
export async function emailAndRecord(
  ctx: AppContext,
  trx: Executor,
  rows: AssignmentRow[],
  what: {
    template: EmailTemplate<AssignmentEmail>;
    action: 'notified' | 'reminded' | 'cancelled' | 'expired';
    facts: ConfigurationFacts;
    view?: ViewFacts;
  },
): Promise<void> {
  if (rows.length === 0) return;
  const now = ctx.clock.now();
  const pending = rows.map((r) => ({ row: r, action: pendingEmailAction(ctx, r.uuid, what.action, now) }));
  await sendEmails(
    ctx,
    trx,
    what.template,
    pending.map(({ row: r, action }) => ({
      to: r.learner_email,
      idempotencyKey: emailActionRef(action.uuid),
      ref: emailActionRef(action.uuid),
      context: {
        organization: what.facts.organization,
        courseTitle: r.content_title ?? '',
        contentKey: r.content_key,
        actionRequiredBy: what.view?.expirations.get(r.uuid)?.date.toISOString() ?? null,
      },
    })),
  );
  await actions.insertMany(
    trx,
    pending.map((p) => p.action),
  );
}
