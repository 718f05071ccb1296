import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../database.js';
import { FOLD_AFTER, foldCounts } from '../../db/appended-counts.js';
import type { AssignmentState, LearnerState } from './schema.js';

/**
 * A configuration's assignments per (state, learner_state), from the rows the database's
 * triggers append on every write (migration 2026_12_07_1200): the admin list's count and
 * learner_state_counts without counting the assignments themselves.
 */
export interface StateCount {
  state: AssignmentState;
  learner_state: LearnerState | null;
  n: number;
}

/** Conditions on `state` and `learner_state` columns of `table`; an empty state list filters nothing. */
export interface StateFilter {
  state?: AssignmentState;
  stateIn?: readonly AssignmentState[];
  learnerState?: LearnerState;
  learnerStateIn?: readonly LearnerState[];
  /** Only rows in these states whatever the other filters say (cancel-all, remind-all). */
  within?: readonly AssignmentState[];
}

export function stateConditions(f: StateFilter, table: string): Array<RawBuilder<SqlBool>> {
  const state = sql.ref(`${table}.state`);
  const learnerState = sql.ref(`${table}.learner_state`);
  const out: Array<RawBuilder<SqlBool>> = [];
  if (f.state) out.push(sql<SqlBool>`${state} = ${f.state}`);
  if (f.stateIn?.length) out.push(sql<SqlBool>`${state} in (${sql.join(f.stateIn)})`);
  // A guard, not a filter: an empty one lets nothing through.
  if (f.within)
    out.push(f.within.length ? sql<SqlBool>`${state} in (${sql.join(f.within)})` : sql<SqlBool>`false`);
  if (f.learnerState) out.push(sql<SqlBool>`${learnerState} = ${f.learnerState}`);
  if (f.learnerStateIn?.length) out.push(sql<SqlBool>`${learnerState} in (${sql.join(f.learnerStateIn)})`);
  return out;
}

/**
 * The configuration's counts matching `f`, each (state, learner_state) once; a read that finds
 * the change rows piled up folds them (db/appended-counts.ts).
 */
export async function stateCounts(
  db: Executor,
  configurationUuid: string,
  f: StateFilter,
): Promise<StateCount[]> {
  // Every change row of the configuration is read (the filter only decides what is summed), so
  // the fold sees how many there are whatever the filter.
  const rows = await db
    .selectFrom('assignment_state_counts as c')
    .select((eb) => [
      'c.state',
      'c.learner_state',
      eb.fn
        .sum<string | null>('c.n')
        .filterWhere(eb.and(stateConditions(f, 'c')))
        .as('n'),
      eb.fn.countAll<string>().as('rows'),
    ])
    .where('c.assignment_configuration_uuid', '=', configurationUuid)
    .groupBy(['c.state', 'c.learner_state'])
    .execute();
  const changeRows = rows.reduce((sum, r) => sum + Number(r.rows), 0);
  if (changeRows > FOLD_AFTER)
    await foldCounts(
      db,
      'assignment_state_counts',
      { column: 'assignment_configuration_uuid', uuid: configurationUuid },
      ['state', 'learner_state'],
    );
  return rows
    .map((r) => ({ state: r.state, learner_state: r.learner_state, n: Number(r.n ?? 0) }))
    .filter((r) => r.n !== 0);
}

/**
 * Every (configuration, state, learner_state) whose counted rows disagree with the assignments
 * themselves: empty when the triggers and folds kept the counts exact (a check for tests and
 * operators, like `ledger verify`; it reads the whole table).
 */
export async function stateCountMismatches(db: Executor): Promise<
  Array<{
    configuration: string;
    state: string;
    learner_state: string | null;
    counted: number;
    actual: number;
  }>
> {
  const { rows } = await sql<{
    configuration: string;
    state: string;
    learner_state: string | null;
    counted: string;
    actual: string;
  }>`
    with counted as (
      select assignment_configuration_uuid as configuration, state, learner_state, sum(n) as n
        from assignment_state_counts group by 1, 2, 3
    ), actual as (
      select assignment_configuration_uuid as configuration, state, learner_state, count(*) as n
        from learner_content_assignments group by 1, 2, 3
    )
    select coalesce(c.configuration, a.configuration) as configuration, coalesce(c.state, a.state) as state,
           coalesce(c.learner_state, a.learner_state) as learner_state,
           coalesce(c.n, 0) as counted, coalesce(a.n, 0) as actual
      from counted c full join actual a
        on c.configuration = a.configuration and c.state = a.state
       and c.learner_state is not distinct from a.learner_state
     where coalesce(c.n, 0) <> coalesce(a.n, 0)`.execute(db);
  return rows.map((r) => ({ ...r, counted: Number(r.counted), actual: Number(r.actual) }));
}
