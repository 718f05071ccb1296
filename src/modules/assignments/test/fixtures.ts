import { ENTERPRISE_A, type TestApp } from '../../../../test/support/app.js';
import { subsidyWorld } from '../../../../test/support/worlds.js';
import { deliverPending } from '../../notifications/index.js';

/**
 * The subsidy world (enterprises A and B, A's catalog, a $100 run, a $1,000 subsidy for A) and
 * assigned-credit policies, each with its configuration created through the API. The policy row
 * is written straight to the table (as access's own fixtures do) until policy create makes the
 * configuration itself.
 */
export async function assignmentsWorld(t: TestApp, staff: string) {
  const w = await subsidyWorld(t, staff);
  const catalogs = await t.request({
    method: 'GET',
    url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer_uuid=${ENTERPRISE_A}`,
    as: staff,
  });
  const catalogUuid = (catalogs.json().results as Array<{ uuid: string; enterprise_customer: string }>).find(
    (c) => c.enterprise_customer === ENTERPRISE_A,
  )?.uuid;
  if (!catalogUuid) throw new Error(`no catalog for A: ${catalogs.body}`);
  const assignedPolicy = async (spendLimit: number) => {
    const res = await t.request({
      method: 'POST',
      url: '/access/api/v1/assignment-configurations/',
      payload: { enterprise_customer_uuid: ENTERPRISE_A },
      as: staff,
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const config = res.json().uuid as string;
    const now = t.clock.now();
    const policy = await t.db.kysely
      .insertInto('subsidy_access_policies')
      .values({
        uuid: crypto.randomUUID(),
        policy_type: 'AssignedLearnerCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        display_name: 'Assigned',
        active: true,
        retired_at: null,
        catalog_uuid: catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'assigned',
        spend_limit: spendLimit,
        per_learner_enrollment_limit: null,
        per_learner_spend_limit: null,
        late_redemption_allowed_until: null,
        assignment_configuration_uuid: config,
        learner_credit_request_config_uuid: null,
        created: now,
        modified: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { policy, config };
  };
  return { ...w, catalogUuid, assignedPolicy };
}

/**
 * Runs the delivery worker over the outbox with a transport standing in for the SMTP server:
 * messages to addresses `refuses` names fail (for good: one attempt), the others are accepted.
 * Returns the addresses mailed.
 */
export async function deliverMail(
  t: TestApp,
  refuses: (to: string) => boolean = () => false,
): Promise<string[]> {
  const sent: string[] = [];
  await deliverPending(
    t.app.campus,
    {
      async send(mail) {
        if (refuses(mail.to)) throw new Error(`550 mailbox unavailable: ${mail.to}`);
        sent.push(mail.to);
      },
      close() {},
    },
    { maxAttempts: 1 },
  );
  return sent;
}
