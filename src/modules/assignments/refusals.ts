import type { Executor } from '../../database.js';
import { DomainError } from '../../shared/errors.js';
import { getEnterpriseCustomer, listAdminContacts } from '../enterprise/index.js';

/** The allocation refusal the admin portal reads `body[0].reason` of. */
export interface AllocationReason {
  reason: string;
  user_message: string | null;
  metadata?: { enterprise_administrators: Array<{ email: string; lms_user_id: number | null }> };
  error_message?: string;
  policy_uuids: string[];
}

/** A 422 whose body is the reference's array of reasons rather than Campus's error object. */
export class AllocationRefused extends DomainError {
  readonly reasons: AllocationReason[];

  constructor(reasons: AllocationReason[]) {
    super(422, reasons[0]?.reason ?? 'allocation_refused', reasons[0]?.user_message ?? 'Allocation refused.');
    this.reasons = reasons;
  }
}

const NO_FUNDS = "You can't enroll right now because your organization doesn't have enough funds.";
const EXPIRED = "You can't enroll right now because your funds expired.";

function userMessage(reason: string, hasAdmins: boolean): string | null {
  switch (reason) {
    case 'policy_expired':
    case 'not_enough_value_in_subsidy':
    case 'policy_spend_limit_reached':
      return hasAdmins ? NO_FUNDS : `${NO_FUNDS} Contact your administrator to request more.`;
    case 'subsidy_expired':
      return hasAdmins ? EXPIRED : `${EXPIRED} Contact your administrator for help.`;
    case 'content_not_in_catalog':
      return "You can't enroll right now because this course is no longer available in your organization's catalog.";
    default:
      return null;
  }
}

/** The customer's contact email if it has one, else its admins. */
async function adminContacts(db: Executor, customerUuid: string) {
  const customer = await getEnterpriseCustomer(db, customerUuid);
  if (customer?.contact_email) return [{ email: customer.contact_email, lms_user_id: null }];
  return listAdminContacts(db, customerUuid);
}

/** A `can_allocate` refusal: reason, user message and the admins to contact. */
export async function refusal(
  db: Executor,
  policy: { uuid: string; enterprise_customer_uuid: string },
  reason: string,
): Promise<AllocationRefused> {
  const admins = await adminContacts(db, policy.enterprise_customer_uuid);
  return new AllocationRefused([
    {
      reason,
      user_message: userMessage(reason, admins.length > 0),
      metadata: { enterprise_administrators: admins },
      policy_uuids: [policy.uuid],
    },
  ]);
}

/** A price or allocation error: the exception's class name as reason, with its message. */
export function exceptionRefusal(
  kind: 'PriceValidationError' | 'AllocationException',
  policyUuid: string,
  message: string,
): AllocationRefused {
  return new AllocationRefused([
    {
      reason: kind,
      user_message:
        kind === 'PriceValidationError'
          ? 'An error occurred while validating the provided price.'
          : 'An error occurred during allocation',
      error_message: message,
      policy_uuids: [policyUuid],
    },
  ]);
}
