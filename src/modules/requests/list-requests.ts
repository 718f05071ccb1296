import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { NotFound } from '../../shared/errors.js';
import { canonicalUuid, type Principal } from '../../shared/principal.js';
import { requireRequestsAdmin, scopeOf } from './authorize.js';
import { type CountedFilter, countedRequestsByState } from './request-counts.repository.js';
import { requestViewsOf } from './request-views.js';
import * as requests from './requests.repository.js';
import type { RequestFilterQuery } from './requests.schemas.js';
import type { RequestState } from './schema.js';
import type { RequestView } from './views.js';

/** The admin portal sends `errored` for the state the reference calls `error`. */
const stateAlias = (s: string) => (s === 'errored' ? 'error' : s);

const withIn = (one: string | undefined, many: string[] | undefined) =>
  [...(one ? [one] : []), ...(many ?? [])].filter(Boolean);

/** The list's query parameters → the repository filter, within what the caller may see. */
export function requestFilter(actor: Principal, q: RequestFilterQuery): requests.RequestFilter {
  return {
    scope: scopeOf(actor),
    uuid: q.uuid,
    userEmail: q.user__email || undefined,
    courseId: q.course_id || undefined,
    enterpriseCustomerUuid: q.enterprise_customer_uuid
      ? canonicalUuid(q.enterprise_customer_uuid)
      : undefined,
    policyUuid: q.policy_uuid,
    states: q.state?.map(stateAlias),
    latestActionStatuses: withIn(q.latest_action_status, q.latest_action_status__in),
    learnerRequestStates: withIn(q.learner_request_state, q.learner_request_state__in),
    search: q.search || undefined,
  };
}

/**
 * Learner credit requests: a learner's own, and every request of the enterprises the caller
 * administers (operators: all), with the reference's filters, search and ordering.
 */
export async function listRequests(
  ctx: AppContext,
  actor: Principal,
  input: {
    query: RequestFilterQuery;
    ordering: requests.RequestOrdering;
    offset: number;
    limit: number;
  },
): Promise<{ count: number; results: RequestView[] }> {
  const filter = requestFilter(actor, input.query);
  const db = ctx.db.kysely;
  const counted = countedFilter(filter);
  const { count, rows } = await requests.list(
    db,
    filter,
    { offset: input.offset, limit: input.limit, ordering: input.ordering },
    counted && (() => countedTotal(db, counted)),
  );
  return { count, results: await requestViewsOf(db, rows) };
}

/**
 * The filter as the appended counts can answer it — a whole customer's requests (the caller sees
 * them all) filtered only by policy and counted columns — or undefined.
 */
function countedFilter(f: requests.RequestFilter): CountedFilter | undefined {
  const customer = f.enterpriseCustomerUuid;
  if (customer === undefined || !requests.seesAllOf(f.scope, customer)) return undefined;
  if (f.uuid || f.userEmail || f.courseId || f.search) return undefined;
  return { ...f, enterpriseCustomerUuid: customer };
}

/** How many requests match, from the appended counts (no request is read). */
async function countedTotal(db: Executor, counted: CountedFilter): Promise<number> {
  const byState = await countedRequestsByState(db, counted);
  return byState.reduce((sum, s) => sum + s.count, 0);
}

/** Counts by state of an enterprise's requests (admins and operators), largest first. */
export async function requestsOverview(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; policyUuid?: string; search?: string },
): Promise<Array<{ state: RequestState; count: number }>> {
  const customer = canonicalUuid(input.enterpriseCustomerUuid);
  requireRequestsAdmin(actor, customer);
  const filter: requests.RequestFilter = {
    scope: scopeOf(actor),
    enterpriseCustomerUuid: customer,
    policyUuid: input.policyUuid,
    search: input.search || undefined,
  };
  const counted = countedFilter(filter);
  if (!counted) return requests.countsByState(ctx.db.kysely, filter);
  // Largest first, then by state: the order the counting query gives.
  return (await countedRequestsByState(ctx.db.kysely, counted)).sort(
    (a, b) => b.count - a.count || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0),
  );
}

/** Requests as responses show them, by uuid, in the given order. */
export async function requestViews(db: Executor, uuids: string[]): Promise<RequestView[]> {
  const rows = await requests.getManyWithAction(db, uuids);
  return requestViewsOf(
    db,
    uuids.flatMap((u) => rows.filter((row) => row.uuid === u)),
  );
}

/** One request, for its learner or an admin of its enterprise (404 for anyone else). */
export async function getRequest(ctx: AppContext, actor: Principal, uuid: string): Promise<RequestView> {
  const row = await requests.getVisible(ctx.db.kysely, scopeOf(actor), uuid);
  if (!row) throw new NotFound(`Learner Credit Request with UUID ${uuid} not found.`, 'request_not_found');
  const [view] = await requestViewsOf(ctx.db.kysely, [row]);
  return view!;
}
