import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { deactivateMembership } from '../enterprise/index.js';
import { requestNotFound, requireRequestsAdmin } from './authorize.js';
import { declinedEmail } from './emails.js';
import { emailLearners } from './notify.js';
import { recordChange } from './record.js';
import * as requests from './requests.repository.js';
import type { RequestRow } from './schema.js';

/**
 * An admin declines a request still `requested`: state declined with the reason, a `declined`
 * action, optionally an email to the learner and the learner's removal from the enterprise, in one
 * transaction. Any other state → 400 naming it, as enterprise-access answers.
 */
export async function declineRequest(
  ctx: AppContext,
  actor: Principal,
  input: { requestUuid: string; reason?: string | null; sendNotification: boolean; disassociate: boolean },
): Promise<RequestRow> {
  const found = await requests.getById(ctx.db.kysely, input.requestUuid);
  if (!found) throw requestNotFound(input.requestUuid);
  requireRequestsAdmin(actor, found.enterprise_customer_uuid);
  return ctx.db.transaction(async (trx) => {
    const [row] = await requests.lockMany(trx, [found.uuid]);
    if (!row) throw requestNotFound(input.requestUuid);
    if (row.state !== 'requested') {
      throw ValidationFailed.field(
        'subsidy_request_uuid',
        `Learner Credit Request with UUID ${row.uuid} cannot be declined. Current state: ${row.state}`,
        'request_not_declinable',
      );
    }
    const now = ctx.clock.now();
    const [declined] = await recordChange(ctx, trx, [row], {
      action: { recentAction: 'declined' },
      fields: () => ({
        state: 'declined',
        decline_reason: input.reason || null,
        reviewer_lms_user_id: actor.lmsUserId,
        reviewed_at: now,
      }),
    });
    const out = declined as RequestRow;
    if (input.sendNotification) {
      await emailLearners(ctx, trx, declinedEmail, [out], { declineReason: input.reason || null });
    }
    if (input.disassociate) {
      await deactivateMembership(trx, out.enterprise_customer_uuid, out.lms_user_id, now);
    }
    return out;
  });
}
