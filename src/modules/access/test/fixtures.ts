import { ENTERPRISE_A, type TestApp } from '../../../../test/support/app.js';
import { catalogClient } from '../../../../test/support/catalog.js';
import { subsidyWorld } from '../../../../test/support/worlds.js';
import * as policies from '../policy.repository.js';
import type { PolicyRow, PolicyType } from '../schema.js';

/**
 * The subsidy world (enterprises A and B, A's catalog over one organization, a $100 run open for
 * enrollment, a closed one, a $1,000 subsidy for A) plus policies written straight to the table.
 */
export async function accessWorld(t: TestApp, staff: string) {
  const world = await subsidyWorld(t, staff);
  const catalogs = await t.request({
    method: 'GET',
    url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer_uuid=${ENTERPRISE_A}`,
    as: staff,
  });
  const catalogUuid = (catalogs.json().results as Array<{ uuid: string; enterprise_customer: string }>).find(
    (c) => c.enterprise_customer === ENTERPRISE_A,
  )?.uuid;
  if (!catalogUuid) throw new Error(`no catalog for A: ${catalogs.body}`);
  const catalog = catalogClient(t, staff);
  /** Another $100 run of the same course, open for enrollment. */
  const extraRun = async () =>
    catalog.run(world.course.key, 'verified-audit', {
      start: '2026-05-25T00:00:00Z',
      end: '2026-12-20T00:00:00Z',
      enrollment_end: '2026-11-01T00:00:00Z',
      prices: { verified: '100.00' },
    });
  const policy = async (type: PolicyType, fields: Partial<PolicyRow> = {}): Promise<PolicyRow> => {
    const now = t.clock.now();
    return policies.insert(t.db.kysely, {
      uuid: crypto.randomUUID(),
      policy_type: type,
      enterprise_customer_uuid: ENTERPRISE_A,
      display_name: type,
      description: '',
      active: true,
      retired: false,
      retired_at: null,
      catalog_uuid: catalogUuid,
      subsidy_uuid: world.subsidy.uuid,
      access_method: type === 'AssignedLearnerCreditAccessPolicy' ? 'assigned' : 'direct',
      spend_limit: null,
      per_learner_enrollment_limit: null,
      per_learner_spend_limit: null,
      late_redemption_allowed_until: null,
      assignment_configuration_uuid: null,
      learner_credit_request_config_uuid: null,
      created: now,
      modified: now,
      ...fields,
    });
  };
  return { ...world, catalogUuid, policy, extraRun };
}
