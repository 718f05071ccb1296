import { sql } from 'kysely';
import type { Executor } from '../../db/db.js';
import { containsPattern } from '../../db/like.js';
import type { AssignmentRow, AssignmentState, LearnerState } from './schema.js';

// The admin assignment list: filters, learner_state, ordering and counts, in SQL.
export interface AdminFilter {
  uuid?: string;
  contentKey?: string;
  contentKeyIn?: string[];
  learnerEmail?: string;
  learnerEmailIn?: string[];
  lmsUserId?: number;
  lmsUserIdIn?: number[];
  state?: AssignmentState;
  stateIn?: AssignmentState[];
  learnerState?: LearnerState;
  learnerStateIn?: LearnerState[];
  search?: string;
  /** Only rows in these states whatever the other filters say (cancel-all, remind-all). */
  within?: readonly AssignmentState[];
}

export type AdminOrderField = 'recent_action_time' | 'learner_state_sort_order' | 'content_quantity';
export type AdminOrdering = Array<{ field: AdminOrderField; desc: boolean }>;

function annotated(db: Executor, configurationUuid: string) {
  const base = db
    .selectFrom('learner_content_assignments as a')
    .selectAll('a')
    .select([
      sql<LearnerState | null>`case
        when a.state = 'allocated' and a.notified_ok then 'waiting'
        when a.state = 'allocated' and a.notified_failed then 'failed'
        when a.state = 'allocated' then 'notifying'
        when a.state = 'expired' then 'expired'
        when a.state = 'errored' then 'failed'
      end`.as('learner_state'),
    ])
    .where('a.assignment_configuration_uuid', '=', configurationUuid);
  return db
    .selectFrom(base.as('x'))
    .selectAll('x')
    .select([
      sql<Date>`greatest(x.allocated_at, coalesce(x.last_reminded_at, x.allocated_at))`.as(
        'recent_action_time',
      ),
      sql<number>`case x.learner_state when 'notifying' then 0 when 'waiting' then 1 when 'expired' then 2
        when 'failed' then 3 else 999 end`.as('learner_state_sort_order'),
    ]);
}

function filteredAdmin(db: Executor, configurationUuid: string, f: AdminFilter) {
  const inner = annotated(db, configurationUuid);
  let q = db.selectFrom(inner.as('y'));
  if (f.uuid) q = q.where('y.uuid', '=', f.uuid);
  if (f.contentKey !== undefined) q = q.where('y.content_key', '=', f.contentKey);
  if (f.contentKeyIn) q = q.where('y.content_key', 'in', f.contentKeyIn.length ? f.contentKeyIn : ['']);
  if (f.learnerEmail !== undefined) q = q.where('y.learner_email', '=', f.learnerEmail);
  if (f.learnerEmailIn)
    q = q.where('y.learner_email', 'in', f.learnerEmailIn.length ? f.learnerEmailIn : ['']);
  if (f.lmsUserId !== undefined) q = q.where('y.lms_user_id', '=', f.lmsUserId);
  if (f.lmsUserIdIn) q = q.where('y.lms_user_id', 'in', f.lmsUserIdIn.length ? f.lmsUserIdIn : [-1]);
  if (f.state) q = q.where('y.state', '=', f.state);
  if (f.stateIn) q = q.where('y.state', 'in', f.stateIn.length ? f.stateIn : ['allocated']);
  if (f.learnerState) q = q.where('y.learner_state', '=', f.learnerState);
  if (f.learnerStateIn)
    q = q.where('y.learner_state', 'in', f.learnerStateIn.length ? f.learnerStateIn : ['notifying']);
  if (f.within) q = q.where('y.state', 'in', f.within.length ? [...f.within] : ['allocated']);
  if (f.search) {
    const pattern = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([eb('y.content_title', 'ilike', pattern), eb('y.learner_email', 'ilike', pattern)]),
    );
  }
  return q;
}

/** The uuids of the filtered rows (what cancel-all and remind-all act on), oldest first. */
export async function adminUuids(db: Executor, configurationUuid: string, f: AdminFilter): Promise<string[]> {
  const rows = await filteredAdmin(db, configurationUuid, f)
    .select('y.uuid')
    .orderBy('y.created')
    .orderBy('y.uuid')
    .execute();
  return rows.map((r) => r.uuid);
}

export type AnnotatedRow = AssignmentRow & {
  learner_state: LearnerState | null;
  last_reminded_at: Date | null;
  recent_action_time: Date;
  learner_state_sort_order: number;
};

export async function adminCount(db: Executor, configurationUuid: string, f: AdminFilter): Promise<number> {
  const r = await filteredAdmin(db, configurationUuid, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function adminList(
  db: Executor,
  configurationUuid: string,
  f: AdminFilter,
  ordering: AdminOrdering,
  page: { offset: number; limit: number } | null,
): Promise<AnnotatedRow[]> {
  let q = filteredAdmin(db, configurationUuid, f).selectAll('y');
  for (const o of ordering) q = q.orderBy(`y.${o.field}`, o.desc ? 'desc' : 'asc');
  q = q.orderBy('y.created', 'desc').orderBy('y.uuid');
  if (page) q = q.offset(page.offset).limit(page.limit);
  return (await q.execute()) as AnnotatedRow[];
}

/** How many filtered rows are in each learner_state (null states left out), most first. */
export async function learnerStateCounts(
  db: Executor,
  configurationUuid: string,
  f: AdminFilter,
): Promise<Array<{ learner_state: LearnerState; count: number }>> {
  const rows = await filteredAdmin(db, configurationUuid, f)
    .select((eb) => ['y.learner_state', eb.fn.countAll<number>().as('n')])
    .where('y.learner_state', 'is not', null)
    .groupBy('y.learner_state')
    .orderBy('n', 'desc')
    .orderBy('y.learner_state')
    .execute();
  return rows.map((r) => ({ learner_state: r.learner_state as LearnerState, count: Number(r.n) }));
}
