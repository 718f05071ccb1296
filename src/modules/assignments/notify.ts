import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/db.js';
import type { EmailTemplate } from '../notifications/index.js';
import { sendEmails } from '../notifications/index.js';
import * as actions from './actions.repository.js';
import type { AssignmentEmail } from './emails.js';
import type { ConfigurationFacts, ViewFacts } from './facts.js';
import type { ActionType, AssignmentRow } from './schema.js';

/**
 * Queues one email per assignment in the caller's transaction and records the action that says
 * so: the message exists if and only if the change that caused it commits (two statements).
 */
export async function emailAndRecord(
  ctx: AppContext,
  trx: Executor,
  rows: AssignmentRow[],
  what: {
    template: EmailTemplate<AssignmentEmail>;
    action: ActionType;
    facts: ConfigurationFacts;
    view?: ViewFacts;
  },
): Promise<void> {
  if (rows.length === 0) return;
  const now = ctx.clock.now();
  const stamp = now.getTime();
  await sendEmails(
    trx,
    ctx,
    what.template,
    rows.map((r) => ({
      to: r.learner_email,
      idempotencyKey: `assignment:${r.uuid}:${what.action}:${stamp}`,
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
    rows.map((r) => ({
      uuid: ctx.ids.uuid(),
      assignment_uuid: r.uuid,
      action_type: what.action,
      completed_at: now,
      error_reason: null,
      traceback: null,
      created: now,
      modified: now,
    })),
  );
}
