import { BusinessRule } from '../../shared/errors.js';
import { type AdminContact, reasonObjects } from './reasons.js';
import type { PolicyRow } from './schema.js';

/** A refused redemption as the caller sees it: the reason, with whom to ask about it. */
export function refusal(admins: AdminContact[], policy: PolicyRow, reason: string): BusinessRule {
  const reasons = reasonObjects([{ reason, policyUuid: policy.uuid }], admins);
  return new BusinessRule(reason, reasons[0]?.user_message ?? `Cannot redeem: ${reason}.`, { reasons });
}
