import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { containsPattern } from '../../db/like.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type { AssignmentRow, LearnerState } from './schema.js';
import {
  type StateCount,
  type StateFilter,
  stateConditions,
  stateCounts,
} from './state-counts.repository.js';

// The admin assignment list: filters, learner_state, ordering and counts, in SQL.
export interface AdminFilter extends StateFilter {
  uuid?: string;
  contentKey?: string;
  contentKeyIn?: string[];
  learnerEmail?: string;
  learnerEmailIn?: string[];
  lmsUserId?: number;
  lmsUserIdIn?: number[];
  search?: string;
}

export type AdminOrderField = 'recent_action_time' | 'learner_state_sort_order' | 'content_quantity';
export type AdminOrdering = Array<{ field: AdminOrderField; desc: boolean }>;

/** Filters other than state and learner_state: with none of them the counts come from the counters. */
function onlyStates(f: AdminFilter): boolean {
  return (
    f.uuid === undefined &&
    f.contentKey === undefined &&
    f.contentKeyIn === undefined &&
    f.learnerEmail === undefined &&
    f.learnerEmailIn === undefined &&
    f.lmsUserId === undefined &&
    f.lmsUserIdIn === undefined &&
    !f.search
  );
}

// learner_state and recent_action_time are columns the database keeps (and indexes); only the
// sort key for learner_state is computed here.
function filteredAdmin(db: Executor, configurationUuid: string, f: AdminFilter) {
  let q = db
    .selectFrom('learner_content_assignments as y')
    .where('y.assignment_configuration_uuid', '=', configurationUuid)
    .where((eb) => eb.and(stateConditions(f, 'y')));
  if (f.uuid) q = q.where('y.uuid', '=', f.uuid);
  if (f.contentKey !== undefined) q = q.where('y.content_key', '=', f.contentKey);
  const { contentKeyIn, learnerEmailIn, lmsUserIdIn } = f;
  if (contentKeyIn) q = q.where((eb) => inList(eb, 'y.content_key', contentKeyIn));
  if (f.learnerEmail !== undefined) q = q.where('y.learner_email', '=', f.learnerEmail);
  if (learnerEmailIn) q = q.where((eb) => inList(eb, 'y.learner_email', learnerEmailIn));
  if (f.lmsUserId !== undefined) q = q.where('y.lms_user_id', '=', f.lmsUserId);
  if (lmsUserIdIn) q = q.where((eb) => inList(eb, 'y.lms_user_id', lmsUserIdIn));
  if (f.search) {
    const pattern = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([eb('y.content_title', 'ilike', pattern), eb('y.learner_email', 'ilike', pattern)]),
    );
  }
  return q;
}

const learnerStateSortOrder = sql<number>`case y.learner_state when 'notifying' then 0 when 'waiting' then 1
  when 'expired' then 2 when 'failed' then 3 else 999 end`;

/** The uuids of the filtered rows (what cancel-all and remind-all act on), oldest first. */
export async function adminUuids(db: Executor, configurationUuid: string, f: AdminFilter): Promise<string[]> {
  const rows = await filteredAdmin(db, configurationUuid, f)
    .select('y.uuid')
    .orderBy('y.created')
    .orderBy('y.uuid')
    .execute();
  return rows.map((r) => r.uuid);
}

export type AnnotatedRow = AssignmentRow & { learner_state_sort_order: number };

export type LearnerStateCounts = Array<{ learner_state: LearnerState; count: number }>;

/** The filtered rows with their `learner_state_sort_order`, in `ordering`, then newest first. */
function ordered(q: ReturnType<typeof filteredAdmin>, ordering: AdminOrdering) {
  let out = q.selectAll('y').select(learnerStateSortOrder.as('learner_state_sort_order'));
  for (const o of ordering) {
    const key = o.field === 'learner_state_sort_order' ? learnerStateSortOrder : sql.ref(`y.${o.field}`);
    out = out.orderBy(key, o.desc ? 'desc' : 'asc');
  }
  return out.orderBy('y.created', 'desc').orderBy('y.uuid');
}

/**
 * A page of the filtered rows with their `count` and `learner_state_counts` (null states left out,
 * most first). A filter on state and learner_state alone reads both from the configuration's
 * counts at once; any other filter counts its rows.
 */
export async function adminPage(
  db: Executor,
  configurationUuid: string,
  f: AdminFilter,
  ordering: AdminOrdering,
  window: PageWindow,
): Promise<Paged<AnnotatedRow> & { learnerStates: LearnerStateCounts }> {
  const counts = onlyStates(f) ? stateCounts(db, configurationUuid, f) : undefined;
  const [page, learnerStates] = await Promise.all([
    paged(db, filteredAdmin(db, configurationUuid, f), (q) => ordered(q, ordering), window, {
      count: counts && (async () => (await counts).reduce((sum, c) => sum + c.n, 0)),
    }),
    counts ? counts.then(byLearnerState) : learnerStateCounts(db, configurationUuid, f),
  ]);
  return { ...(page as Paged<AnnotatedRow>), learnerStates };
}

/** The counts' rows summed per learner_state (null states left out), most first. */
function byLearnerState(counts: StateCount[]): LearnerStateCounts {
  const byState = new Map<LearnerState, number>();
  for (const c of counts)
    if (c.learner_state) byState.set(c.learner_state, (byState.get(c.learner_state) ?? 0) + c.n);
  return [...byState]
    .map(([learner_state, count]) => ({ learner_state, count }))
    .sort((x, y) => y.count - x.count || x.learner_state.localeCompare(y.learner_state));
}

/** One row of the configuration, as the list shows it. */
export async function adminRow(
  db: Executor,
  configurationUuid: string,
  uuid: string,
): Promise<AnnotatedRow | undefined> {
  return (await ordered(filteredAdmin(db, configurationUuid, { uuid }), []).executeTakeFirst()) as
    | AnnotatedRow
    | undefined;
}

/** How many filtered rows are in each learner_state (null states left out), most first. */
async function learnerStateCounts(
  db: Executor,
  configurationUuid: string,
  f: AdminFilter,
): Promise<LearnerStateCounts> {
  const rows = await filteredAdmin(db, configurationUuid, f)
    .select((eb) => ['y.learner_state', eb.fn.countAll<number>().as('n')])
    .where('y.learner_state', 'is not', null)
    .groupBy('y.learner_state')
    .orderBy('n', 'desc')
    .orderBy('y.learner_state')
    .execute();
  return rows.map((r) => ({ learner_state: r.learner_state as LearnerState, count: Number(r.n) }));
}
