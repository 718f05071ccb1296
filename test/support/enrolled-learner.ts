import type { Persona, TestApp } from './app.js';
import { ENTERPRISE_A } from './app.js';
import { subsidyWorld } from './worlds.js';

/**
 * Enterprise A's world as a portal sees it: learnerA (101) a linked member of A, enrolled in the
 * world's run through an open learner-credit budget over A's catalog. For the client contract tests.
 */
export async function enrolledLearnerWorld(t: TestApp, as: Record<Persona, string | null>) {
  const ok = async (res: Awaited<ReturnType<TestApp['request']>>, status: number) => {
    if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json();
  };
  const post = (url: string, payload: object, who: string | null) =>
    t.request({ method: 'POST', url, payload, as: who });
  const w = await subsidyWorld(t, as.staff ?? '');
  await ok(
    await post(
      `/enterprise/api/v1/enterprise-customer/${ENTERPRISE_A}/learners/`,
      { lms_user_id: 101, username: 'user101', email: 'learner.a@example.com' },
      as.operator,
    ),
    201,
  );
  const catalogs = await ok(
    await t.request({
      method: 'GET',
      url: `/enterprise/api/v1/enterprise-catalogs/?enterprise_customer=${ENTERPRISE_A}`,
      as: as.staff,
    }),
    200,
  );
  const catalogUuid = (catalogs.results as Array<{ uuid: string; enterprise_customer: string }>).find(
    (c) => c.enterprise_customer === ENTERPRISE_A,
  )?.uuid;
  if (!catalogUuid) throw new Error('no catalog for enterprise A');
  const policy = await ok(
    await post(
      '/access/api/v1/subsidy-access-policies/',
      {
        policy_type: 'PerLearnerSpendCreditAccessPolicy',
        enterprise_customer_uuid: ENTERPRISE_A,
        catalog_uuid: catalogUuid,
        subsidy_uuid: w.subsidy.uuid,
        access_method: 'direct',
        display_name: 'Open budget',
        active: true,
        per_learner_spend_limit: 50_000,
      },
      as.operator,
    ),
    201,
  );
  await ok(
    await post(
      `/access/api/v1/policy-redemption/${policy.uuid}/redeem/`,
      { lms_user_id: 101, content_key: w.run.key },
      as.learnerA,
    ),
    201,
  );
  return { ...w, catalogUuid, policy: policy as { uuid: string } };
}
