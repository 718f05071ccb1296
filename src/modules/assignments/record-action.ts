import type { Executor } from '../../database.js';
import type { Ids } from '../../shared/ids.js';
import * as actions from './actions.repository.js';
import type { ActionRow, ActionType, AssignmentRow } from './schema.js';

/** An action that is complete as it is recorded (it happened in this transaction). */
export function completedAction(
  deps: { ids: Ids },
  assignmentUuid: string,
  type: ActionType,
  now: Date,
): ActionRow {
  return {
    uuid: deps.ids.uuid(),
    assignment_uuid: assignmentUuid,
    action_type: type,
    completed_at: now,
    error_reason: null,
    traceback: null,
    created: now,
    modified: now,
  };
}

/** Records one completed action of `type` for each row (one statement plus the summary refresh). */
export async function recordDone(
  deps: { ids: Ids; clock: { now(): Date } },
  trx: Executor,
  rows: AssignmentRow[],
  type: ActionType,
): Promise<ActionRow[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const done = rows.map((r) => completedAction(deps, r.uuid, type, now));
  await actions.insertMany(trx, done);
  return done;
}
