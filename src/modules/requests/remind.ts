import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { reminderTooSoon, reminderWindowStart } from '../../shared/reminders.js';
import * as actions from './actions.repository.js';
import { requestNotFound, requireRequestsAdmin } from './authorize.js';
import { reminderEmail } from './emails.js';
import { emailLearners } from './notify.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestRow } from './schema.js';

/** An admin reminds the learner of an approved request: a `reminded` action and an email. */
export async function remindRequest(
  ctx: AppContext,
  actor: Principal,
  input: { requestUuid: string },
): Promise<RequestRow> {
  const found = await requests.getById(ctx.db.kysely, input.requestUuid);
  if (!found) throw requestNotFound(input.requestUuid);
  requireRequestsAdmin(actor, found.enterprise_customer_uuid);
  return ctx.db.transaction(async (trx) => {
    const [row] = await requests.lockMany(trx, [found.uuid]);
    if (!row) throw requestNotFound(input.requestUuid);
    if (row.state !== 'approved' || !row.assignment_uuid) {
      throw ValidationFailed.field(
        'learner_credit_request_uuid',
        `Cannot send a reminder for a request in the '${row.state}' state. Reminders can only be sent for 'APPROVED' requests.`,
        'request_not_remindable',
      );
    }
    const since = reminderWindowStart(ctx);
    if (since && (await actions.remindedSince(trx, row.uuid, since))) {
      throw reminderTooSoon(ctx.config.reminderIntervalHours);
    }
    const [reminded] = await recordChange(ctx, trx, [row], { action: { recentAction: 'reminded' } });
    await emailLearners(ctx, trx, reminderEmail, [reminded as RequestRow]);
    return reminded as RequestRow;
  });
}
