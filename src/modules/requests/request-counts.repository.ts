import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import { FOLD_AFTER, foldCounts } from '../../db/appended-counts.js';
import type { RequestState } from './schema.js';

/** What the counts can answer: a customer's requests, by policy and the three filtered columns. */
export interface CountedFilter {
  enterpriseCustomerUuid: string;
  policyUuid?: string;
  states?: string[];
  learnerRequestStates?: string[];
  latestActionStatuses?: string[];
}

/**
 * How many of a customer's requests match `f`, per state, from the change rows the database's
 * triggers append (migration 2026_12_07_1300): the admin list's count and the overview without
 * counting the requests.
 */
export async function countedRequestsByState(
  db: Executor,
  f: CountedFilter,
): Promise<Array<{ state: RequestState; count: number }>> {
  // Every change row of the customer is read (the filter only decides what is summed), so the fold
  // sees how many there are whatever the filter.
  const rows = await db
    .selectFrom('learner_credit_request_counts')
    .select((eb) => {
      const wanted = [
        ...(f.policyUuid !== undefined ? [eb('policy_uuid', '=', f.policyUuid)] : []),
        ...(f.states?.length ? [eb('state', 'in', f.states as RequestState[])] : []),
        ...(f.learnerRequestStates?.length
          ? [eb('learner_request_state', 'in', f.learnerRequestStates)]
          : []),
        ...(f.latestActionStatuses?.length ? [eb('latest_action_status', 'in', f.latestActionStatuses)] : []),
      ];
      return [
        'state',
        eb.fn.sum<string | null>('n').filterWhere(eb.and(wanted)).as('n'),
        eb.fn.countAll<string>().as('rows'),
      ];
    })
    .where('enterprise_customer_uuid', '=', f.enterpriseCustomerUuid)
    .groupBy('state')
    .execute();
  if (rows.reduce((sum, r) => sum + Number(r.rows), 0) > FOLD_AFTER)
    await foldCounts(
      db,
      'learner_credit_request_counts',
      { column: 'enterprise_customer_uuid', uuid: f.enterpriseCustomerUuid },
      ['policy_uuid', 'state', 'learner_request_state', 'latest_action_status'],
    );
  return rows.map((r) => ({ state: r.state, count: Number(r.n ?? 0) })).filter((r) => r.count !== 0);
}

/**
 * Every (customer, policy, state, learner_request_state, latest_action_status) whose counted rows
 * disagree with the requests: empty when the triggers and folds kept the counts exact (for tests
 * and operators; reads the whole table).
 */
export async function requestCountMismatches(
  db: Executor,
): Promise<Array<{ customer: string; policy: string; state: string; counted: number; actual: number }>> {
  const { rows } = await sql<{
    customer: string;
    policy: string;
    state: string;
    counted: string;
    actual: string;
  }>`
    with counted as (
      select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, sum(n) as n
        from learner_credit_request_counts group by 1, 2, 3, 4, 5
    ), actual as (
      select enterprise_customer_uuid, policy_uuid, state, learner_request_state, latest_action_status, count(*) as n
        from learner_credit_requests group by 1, 2, 3, 4, 5
    )
    select coalesce(c.enterprise_customer_uuid, a.enterprise_customer_uuid) as customer,
           coalesce(c.policy_uuid, a.policy_uuid) as policy, coalesce(c.state, a.state) as state,
           coalesce(c.n, 0) as counted, coalesce(a.n, 0) as actual
      from counted c full join actual a
        on c.enterprise_customer_uuid = a.enterprise_customer_uuid and c.policy_uuid = a.policy_uuid
       and c.state = a.state and c.learner_request_state is not distinct from a.learner_request_state
       and c.latest_action_status is not distinct from a.latest_action_status
     where coalesce(c.n, 0) <> coalesce(a.n, 0)`.execute(db);
  return rows.map((r) => ({ ...r, counted: Number(r.counted), actual: Number(r.actual) }));
}
