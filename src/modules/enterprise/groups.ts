import type { AppContext } from '../../context.js';
import { BusinessRule, Forbidden, ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { canManage, canRead, managedCustomers, requireManage } from './authorize.js';
import * as customers from './customers.repository.js';
import { groupExists, groupNotFound, uniqueViolation } from './enterprise.errors.js';
import * as groups from './groups.repository.js';
import { linkableLearners, linkLearnersByEmail, linkModeOf } from './link-by-email.js';
import { normalizeEmail } from './link-learner.js';
import * as memberships from './memberships.repository.js';
import type { GroupRow } from './schema.js';

export type { GroupMemberView } from './groups.repository.js';

export interface LearnersChange {
  lms_user_ids?: number[];
  learner_emails?: string[];
}

/** A group the actor manages; a learner of its customer is refused, anyone else told it does not exist. */
async function loadManagedGroup(ctx: AppContext, actor: Principal, uuid: string): Promise<GroupRow> {
  const row = await groups.getByUuid(ctx.db.kysely, uuid);
  if (!row) throw groupNotFound(uuid);
  if (canManage(actor, row.enterprise_customer_uuid)) return row;
  if (await canRead(ctx.db.kysely, actor, row.enterprise_customer_uuid)) {
    throw new Forbidden('Only admins of this enterprise may manage its groups.');
  }
  throw groupNotFound(uuid);
}

function refuseDuplicateName(err: unknown, name: string): never {
  if (uniqueViolation(err) !== null) throw groupExists(name);
  throw err;
}

export async function listGroups(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid?: string; offset: number; limit: number },
): Promise<{ count: number; rows: GroupRow[] }> {
  const scope = managedCustomers(actor);
  return groups.list(ctx.db.kysely, scope, input.customerUuid, input);
}

export async function getGroup(ctx: AppContext, actor: Principal, uuid: string): Promise<GroupRow> {
  return loadManagedGroup(ctx, actor, uuid);
}

export async function createGroup(
  ctx: AppContext,
  actor: Principal,
  input: { enterprise_customer: string; name: string },
): Promise<GroupRow> {
  requireManage(actor, input.enterprise_customer);
  if (!(await customers.getByUuid(ctx.db.kysely, input.enterprise_customer))) {
    throw ValidationFailed.field(
      'enterprise_customer',
      `No enterprise customer ${input.enterprise_customer}.`,
      'enterprise_customer_not_found',
    );
  }
  try {
    return await groups.create(
      ctx.db.kysely,
      { uuid: ctx.ids.uuid(), enterprise_customer_uuid: input.enterprise_customer, name: input.name },
      ctx.clock.now(),
    );
  } catch (err) {
    refuseDuplicateName(err, input.name);
  }
}

export async function updateGroup(
  ctx: AppContext,
  actor: Principal,
  uuid: string,
  input: { name: string },
): Promise<GroupRow> {
  await loadManagedGroup(ctx, actor, uuid);
  try {
    const row = await groups.update(ctx.db.kysely, uuid, input.name, ctx.clock.now());
    if (!row) throw groupNotFound(uuid);
    return row;
  } catch (err) {
    refuseDuplicateName(err, input.name);
  }
}

export async function deleteGroup(ctx: AppContext, actor: Principal, uuid: string): Promise<void> {
  await loadManagedGroup(ctx, actor, uuid);
  await groups.remove(ctx.db.kysely, uuid);
}

function requireSome(input: LearnersChange): { ids: number[]; emails: string[] } {
  const ids = [...new Set(input.lms_user_ids ?? [])];
  const emails = [...new Set((input.learner_emails ?? []).map(normalizeEmail))];
  if (ids.length === 0 && emails.length === 0) {
    throw ValidationFailed.field(
      'lms_user_ids',
      'Give lms_user_ids and/or learner_emails.',
      'missing_learners',
    );
  }
  return { ids, emails };
}

/**
 * Adds learners to a group: by id, they must be active members of the group's enterprise; by
 * email, the membership rule of link-by-email.ts decides: someone linkable becomes a member of
 * the enterprise and of the group at once, every other email gets a pending membership of both,
 * taken up when that person signs in. `added` names only members of the enterprise.
 */
export async function assignLearners(
  ctx: AppContext,
  actor: Principal,
  input: LearnersChange & { groupUuid: string },
): Promise<{ added: number[]; pending: string[] }> {
  const group = await loadManagedGroup(ctx, actor, input.groupUuid);
  const { ids, emails } = requireSome(input);
  const customer = group.enterprise_customer_uuid;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const members = new Set(await memberships.membersAmong(trx, customer, ids, 'active'));
    const strangers = ids.filter((id) => !members.has(id));
    if (strangers.length > 0) {
      throw new BusinessRule(
        'learners_not_members',
        `Learners ${strangers.join(', ')} are not active members of this enterprise; add them as learners first.`,
        { lms_user_ids: strangers },
      );
    }
    const byEmail = await linkLearnersByEmail(ctx, trx, customer, emails, linkModeOf(actor));
    const added = [...new Set([...ids, ...byEmail.linked])];
    await groups.addMembers(
      trx,
      added.map((id) => ({ group_uuid: group.uuid, lms_user_id: id })),
      now,
    );
    await groups.removePending(
      trx,
      group.uuid,
      emails.filter((e) => !byEmail.pending.includes(e)),
    );
    await groups.addPending(trx, group.uuid, byEmail.pending, now);
    return { added, pending: byEmail.pending };
  });
}

/** Takes learners out of a group (by id, and by email: learners with that email and pending invitations). */
export async function removeLearners(
  ctx: AppContext,
  actor: Principal,
  input: LearnersChange & { groupUuid: string },
): Promise<{ removed: number[]; pending_removed: string[] }> {
  const group = await loadManagedGroup(ctx, actor, input.groupUuid);
  const { ids, emails } = requireSome(input);
  return ctx.db.transaction(async (trx) => {
    // Only people this enterprise knows: an email names nobody else's account to an admin.
    const known = await linkableLearners(trx, group.enterprise_customer_uuid, emails, linkModeOf(actor));
    const removed = [...new Set([...ids, ...known.map((l) => l.lms_user_id)])];
    await groups.removeMembers(trx, group.uuid, removed);
    await groups.removePending(trx, group.uuid, emails);
    return { removed, pending_removed: emails };
  });
}

export async function listGroupLearners(
  ctx: AppContext,
  actor: Principal,
  input: { groupUuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: groups.GroupMemberView[] }> {
  await loadManagedGroup(ctx, actor, input.groupUuid);
  return groups.listMembers(ctx.db.kysely, input.groupUuid, input);
}
