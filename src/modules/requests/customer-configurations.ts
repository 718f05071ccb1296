import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { BusinessRule, Conflict, NotFound, ValidationFailed } from '../../shared/errors.js';
import { canonicalUuid, enterprisesWithRole, type Principal } from '../../shared/principal.js';
import { customerHasBnrPolicy, type PolicyRow } from '../access/index.js';
import { requireMember, requireRequestsAdmin } from './authorize.js';
import * as configs from './customer-configurations.repository.js';
import type { CustomerConfigurationRow, SubsidyType } from './schema.js';

const ONE_TYPE_RULE =
  'Browse & Request is already enabled for learner credit. Only one subsidy type can have Browse & Request enabled at a time.';

const notFound = (uuid: string) =>
  new NotFound(`No customer configuration for enterprise ${uuid}.`, 'customer_configuration_not_found');

/** The one subsidy type rule, seen from the customer configuration: no bnr-enabled policy. */
async function refuseWhileLearnerCreditBnr(db: Executor, customerUuid: string): Promise<void> {
  if (await customerHasBnrPolicy(db, customerUuid)) {
    throw new BusinessRule('bnr_subsidy_type_conflict', ONE_TYPE_RULE);
  }
}

/**
 * The same rule seen from a policy being switched on (registered with access): refused while the
 * customer configuration has subsidy requests enabled.
 */
export async function refuseBnrWhileSubsidyRequests(db: Executor, policy: PolicyRow): Promise<void> {
  const config = await configs.get(db, policy.enterprise_customer_uuid);
  if (config?.subsidy_requests_enabled) {
    throw new BusinessRule(
      'bnr_subsidy_type_conflict',
      `Browse & Request is already enabled for ${config.subsidy_type ?? 'another'} subsidy type for enterprise ${policy.enterprise_customer_uuid}. Only one subsidy type can have Browse & Request enabled at a time.`,
    );
  }
}

export async function listCustomerConfigurations(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid?: string; offset: number; limit: number },
): Promise<{ count: number; rows: CustomerConfigurationRow[] }> {
  const visible = enterprisesWithRole(actor, ['enterprise_admin', 'enterprise_openedx_operator']);
  let customers: string[] | '*' = visible;
  if (input.enterpriseCustomerUuid) {
    const wanted = canonicalUuid(input.enterpriseCustomerUuid);
    requireRequestsAdmin(actor, wanted);
    customers = [wanted];
  }
  const db = ctx.db.kysely;
  return configs.list(db, customers, input);
}

/** Members read their enterprise's configuration (the learner portal does; 404 = none). */
export async function getCustomerConfiguration(
  ctx: AppContext,
  actor: Principal,
  customerUuid: string,
): Promise<CustomerConfigurationRow> {
  const uuid = canonicalUuid(customerUuid);
  await requireMember(ctx.db.kysely, actor, uuid);
  const row = await configs.get(ctx.db.kysely, uuid);
  if (!row) throw notFound(uuid);
  return row;
}

export async function createCustomerConfiguration(
  ctx: AppContext,
  actor: Principal,
  input: {
    enterpriseCustomerUuid: string;
    subsidyRequestsEnabled: boolean;
    subsidyType?: SubsidyType | null;
  },
): Promise<CustomerConfigurationRow> {
  const uuid = canonicalUuid(input.enterpriseCustomerUuid);
  requireRequestsAdmin(actor, uuid);
  return ctx.db.transaction(async (trx) => {
    if (input.subsidyRequestsEnabled) await refuseWhileLearnerCreditBnr(trx, uuid);
    const now = ctx.clock.now();
    const row = await configs.insertIfMissing(trx, {
      enterprise_customer_uuid: uuid,
      subsidy_requests_enabled: input.subsidyRequestsEnabled,
      subsidy_type: input.subsidyType ?? null,
      changed_by_lms_user_id: actor.lmsUserId,
      created: now,
      modified: now,
    });
    if (!row) {
      throw new Conflict(
        `A customer configuration for enterprise ${uuid} already exists.`,
        'customer_configuration_exists',
      );
    }
    return row;
  });
}

export async function updateCustomerConfiguration(
  ctx: AppContext,
  actor: Principal,
  customerUuid: string,
  input: {
    subsidyRequestsEnabled?: boolean;
    subsidyType?: SubsidyType | null;
    enterpriseCustomerUuid?: string;
  },
): Promise<CustomerConfigurationRow> {
  const uuid = canonicalUuid(customerUuid);
  requireRequestsAdmin(actor, uuid);
  if (input.enterpriseCustomerUuid && canonicalUuid(input.enterpriseCustomerUuid) !== uuid) {
    throw ValidationFailed.field('enterprise_customer_uuid', 'cannot be changed', 'field_not_updatable');
  }
  return ctx.db.transaction(async (trx) => {
    const current = await configs.lock(trx, uuid);
    if (!current) throw notFound(uuid);
    const enabled = input.subsidyRequestsEnabled ?? current.subsidy_requests_enabled;
    if (enabled && !current.subsidy_requests_enabled) await refuseWhileLearnerCreditBnr(trx, uuid);
    return configs.update(trx, uuid, {
      subsidy_requests_enabled: enabled,
      subsidy_type: input.subsidyType === undefined ? current.subsidy_type : input.subsidyType,
      changed_by_lms_user_id: actor.lmsUserId,
      modified: ctx.clock.now(),
    });
  });
}
