import type { Trx } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import { BusinessRule } from '../../shared/errors.js';
import type { Ids } from '../../shared/ids.js';
import { ensureAssignmentConfiguration } from '../assignments/index.js';
import { runBnrEnablingChecks } from './bnr.js';
import * as bnr from './bnr.repository.js';
import type { PolicyRow } from './schema.js';

/**
 * Switches a policy's browse & request (inside the update's transaction, which holds the policy
 * row lock). On: only a spend policy may have it, the enabling checks must pass, the policy gets an
 * assignment configuration (approved requests become assignments) and its request configuration
 * turns active. Off: the configuration turns inactive and the policy stops pointing at it; the
 * assignment configuration stays, so that approved requests still count until they end.
 * Returns the policy fields to write.
 */
export async function switchBnr(
  deps: { clock: Clock; ids: Ids },
  trx: Trx,
  policy: PolicyRow,
  enabled: boolean,
): Promise<Pick<PolicyRow, 'assignment_configuration_uuid' | 'learner_credit_request_config_uuid'>> {
  const now = deps.clock.now();
  if (!enabled) {
    if (policy.learner_credit_request_config_uuid) {
      await bnr.upsert(trx, { uuid: deps.ids.uuid(), policy_uuid: policy.uuid, active: false, now });
    }
    return {
      assignment_configuration_uuid: policy.assignment_configuration_uuid,
      learner_credit_request_config_uuid: null,
    };
  }
  if (policy.policy_type !== 'PerLearnerSpendCreditAccessPolicy') {
    throw new BusinessRule(
      'bnr_not_supported',
      `Browse & Request is only available on PerLearnerSpendCreditAccessPolicy policies; ${policy.uuid} is a ${policy.policy_type}.`,
    );
  }
  await runBnrEnablingChecks(trx, policy);
  const assignmentConfiguration =
    policy.assignment_configuration_uuid ??
    (
      await ensureAssignmentConfiguration(deps, trx, {
        enterpriseCustomerUuid: policy.enterprise_customer_uuid,
      })
    ).uuid;
  const config = await bnr.upsert(trx, {
    uuid: deps.ids.uuid(),
    policy_uuid: policy.uuid,
    active: true,
    now,
  });
  return {
    assignment_configuration_uuid: assignmentConfiguration,
    learner_credit_request_config_uuid: config.uuid,
  };
}
