import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { type ChangeView, changeHistory } from '../history/index.js';
import { loadConfiguration, requireAssignmentAdmin } from './access.js';
import * as assignments from './assignments.repository.js';

/** An assignment's change history, for its enterprise's admins and operators. */
export async function assignmentHistory(
  ctx: AppContext,
  actor: Principal,
  input: { configurationUuid: string; uuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: ChangeView[] }> {
  const db = ctx.db.kysely;
  const config = await loadConfiguration(db, input.configurationUuid);
  requireAssignmentAdmin(actor, config.enterprise_customer_uuid);
  const row = await assignments.getById(db, input.uuid);
  if (!row || row.assignment_configuration_uuid !== config.uuid) {
    throw new NotFound(
      `No assignment ${input.uuid} in configuration ${config.uuid}.`,
      'assignment_not_found',
    );
  }
  return changeHistory(db, { table: 'learner_content_assignments', rowUuid: row.uuid, ...input });
}
