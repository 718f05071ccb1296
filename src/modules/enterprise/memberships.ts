import type { AppContext } from '../../context.js';
import { isOperator, type Principal } from '../../shared/principal.js';
import { requireManage } from './authorize.js';
import * as customers from './customers.repository.js';
import { customerNotFound, directLinkOperatorsOnly, membershipNotFound } from './enterprise.errors.js';
import * as learners from './learners.repository.js';
import { linkLearnersByEmail, linkModeOf } from './link-by-email.js';
import { linkInvitations } from './link-learner.js';
import * as memberships from './memberships.repository.js';

export type { LearnerMembershipRow, MemberRow } from './memberships.repository.js';

async function requireCustomer(ctx: AppContext, uuid: string): Promise<void> {
  if (!(await customers.getByUuid(ctx.db.kysely, uuid))) throw customerNotFound(uuid);
}

/** The active members of a customer, for its admins and operators. */
export async function listMembers(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: memberships.MemberRow[] }> {
  requireManage(actor, input.customerUuid);
  await requireCustomer(ctx, input.customerUuid);
  return memberships.listActive(ctx.db.kysely, input.customerUuid, input);
}

/** The invitations by email that wait for their person to sign in, for admins and operators. */
export async function listPendingMembers(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; offset: number; limit: number },
): Promise<{ count: number; rows: Array<{ email: string; created: Date }> }> {
  requireManage(actor, input.customerUuid);
  await requireCustomer(ctx, input.customerUuid);
  return memberships.listPending(ctx.db.kysely, input.customerUuid, input);
}

/**
 * Links an LMS user to the customer by id. Operators link anyone, creating the local learner
 * record when it is missing (an existing record keeps its fields: the user's own token is the
 * source of truth) and linking the invitations waiting for its email in every enterprise. An admin
 * may only reactivate someone who already has a membership of their enterprise: anyone else is
 * invited by email, so that an admin can neither make a stranger a member nor learn who an id is.
 * The answer to a refused id is the same whether or not the user exists.
 */
export async function addMember(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; lms_user_id: number; username: string; email: string },
): Promise<memberships.MemberRow> {
  requireManage(actor, input.customerUuid);
  await requireCustomer(ctx, input.customerUuid);
  const now = ctx.clock.now();
  const pair = { enterprise_customer_uuid: input.customerUuid, lms_user_id: input.lms_user_id };
  await ctx.db.transaction(async (trx) => {
    if (!isOperator(actor)) {
      if (!(await memberships.get(trx, input.customerUuid, input.lms_user_id)))
        throw directLinkOperatorsOnly();
      await memberships.activate(trx, [pair], now);
      return;
    }
    const learner = await learners.insertIfMissing(
      trx,
      { lms_user_id: input.lms_user_id, username: input.username, email: input.email },
      now,
    );
    if (learner.email) await linkInvitations(trx, learner.lms_user_id, learner.email, now);
    await memberships.activate(trx, [pair], now);
  });
  const [row] = await memberships.listSomeOfCustomer(ctx.db.kysely, input.customerUuid, [input.lms_user_id]);
  return row as memberships.MemberRow;
}

/**
 * Invites people by email, by the membership rule of link-by-email.ts: for an admin, those who
 * already have a membership here are linked at once and everybody else is pending until they sign
 * in (an operator links every known learner at once). The answer names only members of this
 * enterprise, so it is the same whether or not an address has an account elsewhere.
 */
export async function inviteMembers(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; emails: string[] },
): Promise<{ linked: memberships.MemberRow[]; pending: string[] }> {
  requireManage(actor, input.customerUuid);
  await requireCustomer(ctx, input.customerUuid);
  const { linked: ids, pending } = await ctx.db.transaction((trx) =>
    linkLearnersByEmail(ctx, trx, input.customerUuid, input.emails, linkModeOf(actor)),
  );
  const linked = await memberships.listSomeOfCustomer(ctx.db.kysely, input.customerUuid, ids);
  return { linked, pending };
}

/** Deactivates a membership (kept, never deleted); adding the learner again reactivates it. */
export async function removeMember(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; lmsUserId: number },
): Promise<void> {
  requireManage(actor, input.customerUuid);
  await requireCustomer(ctx, input.customerUuid);
  const done = await memberships.deactivate(
    ctx.db.kysely,
    input.customerUuid,
    input.lmsUserId,
    ctx.clock.now(),
  );
  if (!done) throw membershipNotFound(input.lmsUserId);
}

/** The caller's own memberships, active or not. */
export async function listMyMemberships(
  ctx: AppContext,
  actor: Principal,
  input: { offset: number; limit: number },
): Promise<{ count: number; rows: memberships.LearnerMembershipRow[] }> {
  return memberships.listOfLearner(ctx.db.kysely, actor.lmsUserId, input);
}
