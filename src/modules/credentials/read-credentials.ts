import type { AppContext } from '../../context.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { loadProgram } from './catalog-reads.js';
import * as credentials from './credentials.repository.js';
import type { CredentialOut } from './credentials.schemas.js';
import { findReadable, isCredentialsAdmin, isSelf } from './learners.js';
import * as learners from './learners.repository.js';
import type { CredentialStatus, CredentialType } from './schema.js';
import { credentialView } from './views.js';

export interface CredentialListInput {
  username?: string;
  status?: CredentialStatus;
  type?: CredentialType;
  programUuid?: string;
  onlyVisible?: boolean;
  offset: number;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** GET /api/v2/credentials/: admins list anyone's; a learner lists their own with ?username=. */
export async function listCredentials(
  ctx: AppContext,
  actor: Principal,
  input: CredentialListInput,
): Promise<{ count: number; results: CredentialOut[] }> {
  const admin = isCredentialsAdmin(actor);
  if (!admin && !(input.username && isSelf(actor, { username: input.username }))) {
    throw new Forbidden('Only credentials admins list credentials other than their own.', 'not_own_learner');
  }
  const db = ctx.db.kysely;
  const empty = { count: 0, results: [] };
  let learnerUuid: string | undefined;
  if (input.username) {
    const learner = await findReadable(db, actor, { username: input.username });
    if (!learner) return empty;
    learnerUuid = learner.uuid;
  }
  let program: credentials.CredentialFilter['program'];
  if (input.programUuid !== undefined) {
    // An invalid program uuid gives an empty list, as in the reference.
    if (!UUID.test(input.programUuid)) return empty;
    const p = await loadProgram(ctx, db, input.programUuid);
    if (!p) return empty;
    program = {
      uuid: p.uuid,
      runKeys: p.courses.flatMap((c) => c.runs.filter((r) => !r.excluded).map((r) => r.key)),
    };
  }
  const filter: credentials.CredentialFilter = {
    learnerUuid,
    status: input.status,
    type: input.type,
    program,
    visibleAt: input.onlyVisible ? ctx.clock.now() : undefined,
  };
  const { count, rows } = await credentials.list(db, filter, input);
  const [owners, attributes] = await Promise.all([
    learners.getByUuids(db, [...new Set(rows.map((r) => r.learner_uuid))]),
    credentials.attributesOf(
      db,
      rows.map((r) => r.uuid),
    ),
  ]);
  return {
    count,
    results: rows.map((r) => credentialView(r, owners.find((l) => l.uuid === r.learner_uuid)!, attributes)),
  };
}

/** One credential: admins, or the learner who holds it (others get 404, not a hint that it exists). */
export async function getCredential(ctx: AppContext, actor: Principal, uuid: string): Promise<CredentialOut> {
  const db = ctx.db.kysely;
  const row = await credentials.getByUuid(db, uuid);
  const learner = row ? await learners.getByUuid(db, row.learner_uuid) : undefined;
  if (!row || !learner) throw new NotFound('No credential with this uuid.', 'credential_not_found');
  const own = isSelf(actor, { lmsUserId: learner.lms_user_id, username: learner.username });
  if (!isCredentialsAdmin(actor) && !own)
    throw new NotFound('No credential with this uuid.', 'credential_not_found');
  return credentialView(row, learner, await credentials.attributesOf(db, [row.uuid]));
}
