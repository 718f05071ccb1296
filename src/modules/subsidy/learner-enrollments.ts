import type { Executor } from '../../database.js';
import type { EnrollmentRow } from './schema.js';

/**
 * A learner's enrollments paid by the enterprise's learner credit, oldest first (for the admin
 * portal's learner profile). No actor: the calling module has authorized its request.
 */
export async function enrollmentsOfLearnerInEnterprise(
  db: Executor,
  enterpriseCustomerUuid: string,
  lmsUserId: number,
): Promise<EnrollmentRow[]> {
  return db
    .selectFrom('enrollments')
    .selectAll()
    .where('enterprise_customer_uuid', '=', enterpriseCustomerUuid)
    .where('lms_user_id', '=', lmsUserId)
    .orderBy('created')
    .orderBy('uuid')
    .execute();
}
