import type { Executor } from '../../database.js';
import * as admins from './admins.repository.js';
import * as catalogs from './catalogs.repository.js';
import * as customers from './customers.repository.js';
import type { GroupMemberView } from './groups.repository.js';
import * as groups from './groups.repository.js';
import * as learners from './learners.repository.js';
import * as memberships from './memberships.repository.js';
import type { EnterpriseCatalogRow, EnterpriseCustomer, GroupRow, Learner } from './schema.js';

/*
 * Reads for other modules. No actor: the calling module has authorized its own request. Each takes
 * the executor so that it can run in the caller's transaction.
 */

export async function getEnterpriseCustomer(
  db: Executor,
  uuid: string,
): Promise<EnterpriseCustomer | undefined> {
  return customers.getByUuid(db, uuid);
}

export async function getEnterpriseCustomerBySlug(
  db: Executor,
  slug: string,
): Promise<EnterpriseCustomer | undefined> {
  return customers.getBySlug(db, slug);
}

export async function getLearner(db: Executor, lmsUserId: number): Promise<Learner | undefined> {
  return learners.getById(db, lmsUserId);
}

/** Several learners by lms user id, in one statement. */
export async function getLearners(db: Executor, lmsUserIds: number[]): Promise<Map<number, Learner>> {
  return new Map((await learners.getByIds(db, [...new Set(lmsUserIds)])).map((l) => [l.lms_user_id, l]));
}

/** Of `lmsUserIds`, those with an active membership in the customer: one statement. */
export async function activeMembersAmong(
  db: Executor,
  enterpriseCustomerUuid: string,
  lmsUserIds: number[],
): Promise<Set<number>> {
  return new Set(
    await memberships.membersAmong(db, enterpriseCustomerUuid, [...new Set(lmsUserIds)], 'active'),
  );
}

/** The uuids of the groups each learner belongs to in the customer: one statement. */
export async function groupUuidsOfLearners(
  db: Executor,
  customerUuid: string,
  lmsUserIds: number[],
): Promise<Map<number, string[]>> {
  return groups.groupUuidsOfLearners(db, customerUuid, [...new Set(lmsUserIds)]);
}

export async function isActiveMember(
  db: Executor,
  enterpriseCustomerUuid: string,
  lmsUserId: number,
): Promise<boolean> {
  return memberships.isActive(db, enterpriseCustomerUuid, lmsUserId);
}

/** The customer's admins to name in "contact your administrator": known admins, then invitations. */
export async function listAdminContacts(
  db: Executor,
  enterpriseCustomerUuid: string,
): Promise<Array<{ email: string; lms_user_id: number | null }>> {
  return (await admins.contactsOf(db, [enterpriseCustomerUuid])).get(enterpriseCustomerUuid) ?? [];
}

/** `listAdminContacts` for several customers in one statement. */
export async function adminContactsOfCustomers(
  db: Executor,
  customerUuids: string[],
): Promise<Map<string, Array<{ email: string; lms_user_id: number | null }>>> {
  return admins.contactsOf(db, customerUuids);
}

/** True while the learner is in the group and an active member of the group's enterprise. */
export async function isGroupMember(db: Executor, groupUuid: string, lmsUserId: number): Promise<boolean> {
  return groups.isMember(db, groupUuid, lmsUserId);
}

/** The customer's groups the learner is in (while an active member of the customer). */
export async function groupsOfLearner(
  db: Executor,
  customerUuid: string,
  lmsUserId: number,
): Promise<GroupRow[]> {
  return groups.groupsOfLearner(db, customerUuid, lmsUserId);
}

/** An enterprise catalog by uuid (other modules check that it belongs to a customer). */
export async function getEnterpriseCatalog(
  db: Executor,
  uuid: string,
): Promise<EnterpriseCatalogRow | undefined> {
  return catalogs.getByUuid(db, uuid);
}

/** An enterprise group by uuid. */
export async function getEnterpriseGroup(db: Executor, uuid: string): Promise<GroupRow | undefined> {
  return groups.getByUuid(db, uuid);
}

/** A page of a group's members (learners, then pending invitations by email) and their number. */
export async function groupMembers(
  db: Executor,
  groupUuid: string,
  page: { offset: number; limit: number },
): Promise<{ count: number; rows: GroupMemberView[] }> {
  return groups.listMembers(db, groupUuid, page);
}
