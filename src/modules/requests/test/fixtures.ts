import { ENTERPRISE_A, type TestApp } from '../../../../test/support/app.js';
import { subsidyWorld } from '../../../../test/support/worlds.js';
import { addPendingAdmins } from '../../enterprise/index.js';

export const REQUESTS = '/access/api/v1/learner-credit-requests';
export const POLICIES = '/access/api/v1/subsidy-access-policies';

/**
 * The subsidy world (enterprises A and B, A's catalog, a course whose $100 run is open, a
 * $1,000 subsidy for A), a per-learner spend policy created through the policy API and switched
 * to browse & request by an operator, and admin.a@example.com as A's admin contact.
 */
export async function requestsWorld(
  t: TestApp,
  as: { staff: string | null; operator: string | null },
  options: { spendLimit?: number } = {},
) {
  const w = await subsidyWorld(t, as.staff ?? '');
  const catalogs = await t.request({
    method: 'GET',
    url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer_uuid=${ENTERPRISE_A}`,
    as: as.staff,
  });
  const catalogUuid = (catalogs.json().results as Array<{ uuid: string; enterprise_customer: string }>).find(
    (c) => c.enterprise_customer === ENTERPRISE_A,
  )?.uuid;
  if (!catalogUuid) throw new Error(`no catalog for A: ${catalogs.body}`);
  await t.db.transaction((trx) => addPendingAdmins(t.app.campus, trx, ENTERPRISE_A, ['admin.a@example.com']));
  const created = await t.request({
    method: 'POST',
    url: `${POLICIES}/`,
    as: as.operator,
    payload: {
      policy_type: 'PerLearnerSpendCreditAccessPolicy',
      enterprise_customer_uuid: ENTERPRISE_A,
      catalog_uuid: catalogUuid,
      subsidy_uuid: w.subsidy.uuid,
      access_method: 'request',
      display_name: 'Browse and request',
      active: true,
      spend_limit: options.spendLimit ?? 50_000,
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const switched = await t.request({
    method: 'PATCH',
    url: `${POLICIES}/${created.json().uuid}/`,
    as: as.operator,
    payload: { bnr_enabled: true },
  });
  if (switched.statusCode !== 200) throw new Error(switched.body);
  const policy = switched.json() as {
    uuid: string;
    bnr_enabled: boolean;
    assignment_configuration: { uuid: string } | null;
  };
  /** A learner of enterprise A asks for a course at a price (default: the course at its $100). */
  const ask = (token: string | null, fields: { course_id?: string; course_price?: number } = {}) =>
    t.request({
      method: 'POST',
      url: `${REQUESTS}/`,
      as: token,
      payload: {
        policy_uuid: policy.uuid,
        course_id: fields.course_id ?? w.course.key,
        course_price: fields.course_price ?? 10_000,
        enterprise_customer_uuid: ENTERPRISE_A,
      },
    });
  const post = (token: string | null, action: string, payload: object, query = '') =>
    t.request({ method: 'POST', url: `${REQUESTS}/${action}/${query}`, as: token, payload });
  const outbox = (template: string) =>
    t.db.kysely
      .selectFrom('outbox')
      .select(['to_address', 'subject', 'template'])
      .where('template', '=', template)
      .orderBy('created')
      .execute();
  const learnerToken = (userId: number, email: string) =>
    t.token({ userId, email, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
  return { ...w, catalogUuid, policy, ask, post, outbox, learnerToken };
}
