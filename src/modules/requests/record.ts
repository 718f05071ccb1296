import type { Updateable } from 'kysely';
import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import * as actions from './actions.repository.js';
import * as requests from './requests.repository.js';
import type {
  ActionError,
  LearnerCreditRequestsTable,
  RequestActionType,
  RequestRow,
  RequestState,
} from './schema.js';
import { learnerRequestState, STATUS_LABELS } from './states.js';

export interface ActionInput {
  recentAction: RequestActionType;
  /** The label; by default the one of `recentAction`. */
  status?: string;
  errorReason?: ActionError | null;
  traceback?: string | null;
}

/**
 * Every change of a request goes through here: one action row per request (the timeline), and the
 * request row updated with its new fields and the summary of its latest action, which the admin
 * list filters and sorts on. `fields` may be per request (an approval's assignment).
 */
export async function recordChange(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  rows: RequestRow[],
  change: {
    action: ActionInput;
    fields?: (row: RequestRow) => Updateable<LearnerCreditRequestsTable>;
  },
): Promise<RequestRow[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const a = change.action;
  const written = await actions.insertMany(
    trx,
    rows.map((r) => ({
      uuid: deps.ids.uuid(),
      learner_credit_request_uuid: r.uuid,
      recent_action: a.recentAction,
      status: a.status ?? STATUS_LABELS[a.recentAction],
      error_reason: a.errorReason ?? null,
      traceback: a.traceback ?? null,
      created: now,
      modified: now,
    })),
  );
  const out: RequestRow[] = [];
  for (const row of rows) {
    const action = written.find((w) => w.learner_credit_request_uuid === row.uuid);
    if (!action) continue;
    const fields = change.fields?.(row) ?? {};
    const state = (fields.state ?? row.state) as RequestState;
    out.push(
      await requests.update(trx, row.uuid, {
        ...fields,
        latest_action_uuid: action.uuid,
        latest_action_type: action.recent_action,
        latest_action_status: action.status,
        latest_action_error_reason: action.error_reason,
        latest_action_time: now,
        learner_request_state: learnerRequestState(state, action),
        modified: now,
      }),
    );
  }
  return out;
}
