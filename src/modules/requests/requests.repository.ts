import { type Insertable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import type { Database, Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { containsPattern } from '../../db/like.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { LearnerCreditRequestsTable, RequestActionRow, RequestRow, RequestState } from './schema.js';

/** Who sees which requests: their own, and every request of the enterprises they administer. */
export interface RequestScope {
  lmsUserId: number;
  adminOf: string[] | '*';
}

export interface RequestFilter {
  scope: RequestScope;
  uuid?: string;
  userEmail?: string;
  courseId?: string;
  enterpriseCustomerUuid?: string;
  policyUuid?: string;
  states?: string[];
  latestActionStatuses?: string[];
  learnerRequestStates?: string[];
  search?: string;
}

/** `state_sort_order`: requested, declined, cancelled first, in that order. */
const stateSortOrder = sql<number>`case learner_credit_requests.state when 'requested' then 0 when 'declined' then 1 when 'cancelled' then 2 else 3 end`;

export const ORDERINGS = {
  created: 'learner_credit_requests.created',
  reviewed_at: 'learner_credit_requests.reviewed_at',
  course_price: 'learner_credit_requests.course_price',
  state: 'learner_credit_requests.state',
  user__email: 'learner_credit_requests.email',
  course_title: 'learner_credit_requests.course_title',
  latest_action_time: 'learner_credit_requests.latest_action_time',
  latest_action_type: 'learner_credit_requests.latest_action_type',
  latest_action_status: 'learner_credit_requests.latest_action_status',
  learner_request_state: 'learner_credit_requests.learner_request_state',
  state_sort_order: null,
  // The admin portal's request table sends three of its column names as they are
  // (useBnrSubsidyRequests' API_FIELDS_BY_TABLE_COLUMN_ACCESSOR). DRF's OrderingFilter drops them
  // silently, so the reference ignores a click on those headers; here they sort as their columns read.
  requestDate: 'learner_credit_requests.created',
  requestStatus: 'learner_credit_requests.state',
  requestDetails: 'learner_credit_requests.email',
} as const;
export type Ordering = keyof typeof ORDERINGS;

/** Whether the scope sees every request of the customer (a filter on it then needs no other condition). */
export function seesAllOf(scope: RequestScope, customerUuid: string): boolean {
  return scope.adminOf === '*' || scope.adminOf.includes(customerUuid);
}

function filtered(db: Executor, f: RequestFilter) {
  let q = db.selectFrom('learner_credit_requests');
  const { scope } = f;
  // An admin's list of their enterprise is that enterprise's requests: no `or` over the learner's
  // own, which would keep the planner from the policy's indexes.
  const wholeCustomer = f.enterpriseCustomerUuid !== undefined && seesAllOf(scope, f.enterpriseCustomerUuid);
  if (scope.adminOf !== '*' && !wholeCustomer) {
    const adminOf = scope.adminOf;
    q = q.where((eb) =>
      eb.or([
        eb('learner_credit_requests.lms_user_id', '=', scope.lmsUserId),
        inList(eb, 'learner_credit_requests.enterprise_customer_uuid', adminOf),
      ]),
    );
  }
  if (f.uuid) q = q.where('learner_credit_requests.uuid', '=', f.uuid);
  if (f.userEmail) q = q.where(sql`lower(learner_credit_requests.email)`, '=', f.userEmail.toLowerCase());
  if (f.courseId) q = q.where('learner_credit_requests.course_id', '=', f.courseId);
  if (f.enterpriseCustomerUuid) {
    q = q.where('learner_credit_requests.enterprise_customer_uuid', '=', f.enterpriseCustomerUuid);
  }
  if (f.policyUuid) q = q.where('learner_credit_requests.policy_uuid', '=', f.policyUuid);
  if (f.states?.length) q = q.where('learner_credit_requests.state', 'in', f.states as RequestState[]);
  if (f.latestActionStatuses?.length) {
    q = q.where('learner_credit_requests.latest_action_status', 'in', f.latestActionStatuses);
  }
  if (f.learnerRequestStates?.length) {
    q = q.where('learner_credit_requests.learner_request_state', 'in', f.learnerRequestStates);
  }
  if (f.search) {
    const pattern = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([
        eb('learner_credit_requests.email', 'ilike', pattern),
        eb('learner_credit_requests.course_title', 'ilike', pattern),
      ]),
    );
  }
  return q;
}

/** A request row with its latest action's columns, prefixed `la_`. */
export type RequestWithAction = RequestRow & {
  la_uuid: string | null;
  la_recent_action: RequestActionRow['recent_action'] | null;
  la_status: string | null;
  la_error_reason: RequestActionRow['error_reason'];
  la_traceback: string | null;
  la_created: Date | null;
  la_modified: Date | null;
};

function withLatestAction<O>(q: SelectQueryBuilder<Database, 'learner_credit_requests', O>) {
  return q
    .leftJoin('learner_credit_request_actions as la', 'la.uuid', 'learner_credit_requests.latest_action_uuid')
    .selectAll('learner_credit_requests')
    .select([
      'la.uuid as la_uuid',
      'la.recent_action as la_recent_action',
      'la.status as la_status',
      'la.error_reason as la_error_reason',
      'la.traceback as la_traceback',
      'la.created as la_created',
      'la.modified as la_modified',
    ]);
}

export type RequestOrdering = Array<{ field: Ordering; desc: boolean }>;

/** The filtered requests with their latest action, in `ordering`, then newest first. */
function ordered<O>(
  q: SelectQueryBuilder<Database, 'learner_credit_requests', O>,
  ordering: RequestOrdering,
) {
  let out = withLatestAction(q);
  for (const o of ordering) {
    const column = ORDERINGS[o.field];
    const direction = o.desc ? 'desc' : 'asc';
    out = column === null ? out.orderBy(stateSortOrder, direction) : out.orderBy(sql.ref(column), direction);
  }
  return out.orderBy('learner_credit_requests.created', 'desc').orderBy('learner_credit_requests.uuid');
}

/**
 * A page of the filtered requests and their number: counted, unless the caller has the number
 * from the appended counts (`count`).
 */
export async function list(
  db: Executor,
  f: RequestFilter,
  page: PageWindow & { ordering: RequestOrdering },
  count?: () => Promise<number>,
): Promise<Paged<RequestWithAction>> {
  const found = await paged(db, filtered(db, f), (q) => ordered(q, page.ordering), page, { count });
  return found as Paged<RequestWithAction>;
}

/** One request the scope sees, with its latest action. */
export async function getVisible(
  db: Executor,
  scope: RequestScope,
  uuid: string,
): Promise<RequestWithAction | undefined> {
  return ordered(filtered(db, { scope, uuid }), []).limit(1).executeTakeFirst() as Promise<
    RequestWithAction | undefined
  >;
}

/** Requests by uuid with their latest action (for responses). */
export async function getManyWithAction(db: Executor, uuids: string[]): Promise<RequestWithAction[]> {
  if (uuids.length === 0) return [];
  return withLatestAction(db.selectFrom('learner_credit_requests'))
    .where('learner_credit_requests.uuid', 'in', uuids)
    .orderBy('learner_credit_requests.created')
    .execute() as Promise<RequestWithAction[]>;
}

/** Counts by state of the filtered requests, largest first. */
export async function countsByState(
  db: Executor,
  f: RequestFilter,
): Promise<Array<{ state: RequestState; count: number }>> {
  const rows = await filtered(db, f)
    .select(['learner_credit_requests.state', sql<string>`count(*)`.as('n')])
    .groupBy('learner_credit_requests.state')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('learner_credit_requests.state')
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
}

/** The uuids of the filtered requests in the given states (approve-all). */
export async function uuidsWhere(db: Executor, f: RequestFilter): Promise<string[]> {
  const rows = await filtered(db, f)
    .select('learner_credit_requests.uuid')
    .orderBy('learner_credit_requests.created')
    .execute();
  return rows.map((r) => r.uuid);
}

export async function getById(db: Executor, uuid: string): Promise<RequestRow | undefined> {
  return db.selectFrom('learner_credit_requests').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Requests locked for the rest of the transaction, in uuid order (a fixed lock order). */
export async function lockMany(db: Executor, uuids: string[]): Promise<RequestRow[]> {
  if (uuids.length === 0) return [];
  return db
    .selectFrom('learner_credit_requests')
    .selectAll()
    .where('uuid', 'in', uuids)
    .orderBy('uuid')
    .forUpdate()
    .execute();
}

/** The learner's ended request for this course under this request configuration, locked, if any. */
export async function lockReusable(
  db: Executor,
  q: { lmsUserId: number; configUuid: string; courseId: string; states: readonly RequestState[] },
): Promise<RequestRow | undefined> {
  return db
    .selectFrom('learner_credit_requests')
    .selectAll()
    .where('lms_user_id', '=', q.lmsUserId)
    .where('learner_credit_request_config_uuid', '=', q.configUuid)
    .where('course_id', '=', q.courseId)
    .where('state', 'in', [...q.states])
    .orderBy('modified', 'desc')
    .forUpdate()
    .executeTakeFirst();
}

/** The learner's request for this course in this enterprise in one of `states`, if any. */
export async function findInStates(
  db: Executor,
  q: { lmsUserId: number; customerUuid: string; courseId: string; states: readonly RequestState[] },
): Promise<RequestRow | undefined> {
  return db
    .selectFrom('learner_credit_requests')
    .selectAll()
    .where('lms_user_id', '=', q.lmsUserId)
    .where('enterprise_customer_uuid', '=', q.customerUuid)
    .where('course_id', '=', q.courseId)
    .where('state', 'in', [...q.states])
    .executeTakeFirst();
}

/** The requests following these assignments, locked, in uuid order. */
export async function lockByAssignments(db: Executor, assignmentUuids: string[]): Promise<RequestRow[]> {
  if (assignmentUuids.length === 0) return [];
  return db
    .selectFrom('learner_credit_requests')
    .selectAll()
    .where('assignment_uuid', 'in', assignmentUuids)
    .orderBy('uuid')
    .forUpdate()
    .execute();
}

/** A learner's requests in some states on these policies (credits_available). */
export async function ofLearnerOnPolicies(
  db: Executor,
  q: { lmsUserId: number; policyUuids: string[]; states: readonly RequestState[] },
): Promise<RequestWithAction[]> {
  if (q.policyUuids.length === 0) return [];
  return withLatestAction(db.selectFrom('learner_credit_requests'))
    .where('learner_credit_requests.lms_user_id', '=', q.lmsUserId)
    .where('learner_credit_requests.policy_uuid', 'in', q.policyUuids)
    .where('learner_credit_requests.state', 'in', [...q.states])
    .orderBy('learner_credit_requests.created', 'desc')
    .execute() as Promise<RequestWithAction[]>;
}

export async function insert(db: Executor, row: Insertable<LearnerCreditRequestsTable>): Promise<RequestRow> {
  return db.insertInto('learner_credit_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateMany(
  db: Executor,
  uuids: string[],
  fields: Updateable<LearnerCreditRequestsTable>,
): Promise<RequestRow[]> {
  if (uuids.length === 0) return [];
  return db
    .updateTable('learner_credit_requests')
    .set(fields)
    .where('uuid', 'in', uuids)
    .returningAll()
    .execute();
}

export async function update(
  db: Executor,
  uuid: string,
  fields: Updateable<LearnerCreditRequestsTable>,
): Promise<RequestRow> {
  return db
    .updateTable('learner_credit_requests')
    .set(fields)
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Customers with requests still requested since their last digest (or ever), up to `asOf`. */
export async function customersWithNewRequests(db: Executor, asOf: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('learner_credit_requests as r')
    .leftJoin(
      'learner_credit_request_digests as d',
      'd.enterprise_customer_uuid',
      'r.enterprise_customer_uuid',
    )
    .select('r.enterprise_customer_uuid')
    .distinct()
    .where('r.state', '=', 'requested')
    .where('r.requested_at', '<=', asOf)
    .where((eb) =>
      eb.or([eb('d.last_remind_date', 'is', null), eb('r.requested_at', '>', eb.ref('d.last_remind_date'))]),
    )
    .execute();
  return rows.map((r) => r.enterprise_customer_uuid);
}

/** A customer's requests still requested, asked for in (since, asOf]. */
export async function requestedBetween(
  db: Executor,
  q: { customerUuid: string; since: Date | null; asOf: Date },
): Promise<RequestRow[]> {
  let query = db
    .selectFrom('learner_credit_requests')
    .selectAll()
    .where('enterprise_customer_uuid', '=', q.customerUuid)
    .where('state', '=', 'requested')
    .where('requested_at', '<=', q.asOf);
  if (q.since) query = query.where('requested_at', '>', q.since);
  return query.orderBy('requested_at').orderBy('uuid').execute();
}
