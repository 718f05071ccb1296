import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { type GroupMemberView as EnterpriseMember, groupMembers } from '../enterprise/index.js';
import { learnersSpendByPolicy } from '../ledger/index.js';
import { requireAdministerPolicies, requireWritePolicies } from './policy.access.js';
import * as policies from './policy.repository.js';
import type { GROUP_MEMBER_SORTS, GroupMemberView } from './policy.schemas.js';
import { loadReadablePolicy } from './read-policies.js';

export interface GroupMembersInput {
  groupUuid?: string;
  userQuery?: string;
  sortBy?: (typeof GROUP_MEMBER_SORTS)[number];
  reversed: boolean;
  /** Only these emails (the CSV download of selected rows). */
  learners?: string[];
  /** Every member on one page (`traverse_pagination`, the CSV download). */
  all: boolean;
  offset: number;
  limit: number;
}

/** Beyond this many members a group is not sorted or searched in memory. */
const MAX_IN_MEMORY = 10_000;

const dateLabel = (d: Date) =>
  d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function memberView(m: EnterpriseMember, enrollments: number): GroupMemberView {
  return {
    enterprise_customer_user_id: m.pending ? null : m.lms_user_id,
    lms_user_id: m.lms_user_id,
    pending_enterprise_customer_user_id: null,
    enterprise_group_membership_uuid: null,
    // edx-enterprise names a member by their full name; the username until Campus has seen it.
    member_details: { user_email: m.email, user_name: m.full_name ?? m.username },
    recent_action: `${m.pending ? 'Invited' : 'Accepted'}: ${dateLabel(m.created)}`,
    status: m.pending ? 'pending' : 'accepted',
    activated_at: m.pending ? null : m.created.toISOString(),
    enrollment_count: enrollments,
  };
}

const compareText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/**
 * The members of one of the policy's groups (the admin portal's group members table) with
 * `enrollment_count`, the learner's redemptions through the policy from the ledger's per-learner
 * totals. Plain paging is done by the enterprise module; searching, sorting and the learner filter
 * load the group (up to 10,000 members) and work in memory, as the enterprise module offers no
 * search yet.
 */
export async function groupMembersOfPolicy(
  ctx: AppContext,
  actor: Principal,
  policyUuid: string,
  input: GroupMembersInput,
): Promise<{ count: number; rows: GroupMemberView[] }> {
  const db = ctx.db.kysely;
  const policy = await loadReadablePolicy(db, actor, policyUuid);
  requireAdministerPolicies(actor, policy.enterprise_customer_uuid);
  const groups = (await policies.groupsOf(db, [policy.uuid])).get(policy.uuid) ?? [];
  const groupUuid = input.groupUuid ?? groups[0];
  if (!groupUuid || !groups.includes(groupUuid)) {
    throw new NotFound('Policy group not found associated with subsidy', 'policy_group_not_found');
  }
  // The enrollment counts of all the members in one statement.
  const counts = async (members: EnterpriseMember[]) => {
    const ids = members.flatMap((m) => (m.lms_user_id === null ? [] : [m.lms_user_id]));
    const totals = await learnersSpendByPolicy(db, [policy.uuid], ids);
    return members.map((m) =>
      m.lms_user_id === null ? 0 : (totals.get(m.lms_user_id)?.get(policy.uuid)?.redemptions ?? 0),
    );
  };
  const inMemory = input.all || input.userQuery || input.sortBy || input.learners?.length;
  if (!inMemory) {
    const { count, rows } = await groupMembers(db, groupUuid, input);
    const n = await counts(rows);
    return { count, rows: rows.map((m, i) => memberView(m, n[i] ?? 0)) };
  }
  const { count: total, rows: everyone } = await groupMembers(db, groupUuid, {
    offset: 0,
    limit: MAX_IN_MEMORY,
  });
  if (total > MAX_IN_MEMORY) {
    throw ValidationFailed.field(
      'user_query',
      `This group has more than ${MAX_IN_MEMORY} members: page through it without search or sorting.`,
      'group_too_large',
    );
  }
  const query = input.userQuery?.trim().toLowerCase();
  const wanted = input.learners?.length ? new Set(input.learners) : null;
  const kept = everyone.filter(
    (m) =>
      (!query || `${m.email ?? ''} ${m.username ?? ''} ${m.full_name ?? ''}`.toLowerCase().includes(query)) &&
      (!wanted || wanted.has((m.email ?? '').toLowerCase())),
  );
  const n = await counts(kept);
  let views = kept.map((m, i) => memberView(m, n[i] ?? 0));
  const sorters: Record<
    NonNullable<GroupMembersInput['sortBy']>,
    (a: GroupMemberView, b: GroupMemberView) => number
  > = {
    member_details: (a, b) =>
      compareText(a.member_details.user_email, b.member_details.user_email) ||
      compareText(a.member_details.user_name, b.member_details.user_name),
    status: (a, b) => compareText(a.status, b.status),
    recent_action: (a, b) => compareText(a.activated_at, b.activated_at),
    // Most enrollments first, as the reference does; `is_reversed` turns it round.
    enrollment_count: (a, b) => b.enrollment_count - a.enrollment_count,
  };
  if (input.sortBy) {
    views = [...views].sort(sorters[input.sortBy]);
    if (input.reversed) views.reverse();
  }
  return {
    count: views.length,
    rows: input.all ? views : views.slice(input.offset, input.offset + input.limit),
  };
}

/** The members as the CSV the admin portal downloads. */
export function groupMembersCsv(rows: GroupMemberView[]): string {
  const cell = (v: string | number | null) => {
    const raw = v === null ? '' : String(v);
    // A cell a spreadsheet would run as a formula is kept as text.
    const s = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [['email', 'name', 'status', 'recent_action', 'enrollment_count'].join(',')];
  for (const r of rows) {
    lines.push(
      [r.member_details.user_email, r.member_details.user_name, r.status, r.recent_action, r.enrollment_count]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Removes a group from every policy of the customer; operators only. */
export async function deleteGroupAssociation(
  ctx: AppContext,
  actor: Principal,
  input: { enterpriseCustomerUuid: string; groupUuid: string },
): Promise<number> {
  requireWritePolicies(actor);
  return policies.deleteGroupAssociations(ctx.db.kysely, input.enterpriseCustomerUuid, input.groupUuid);
}
