import type {
  CatalogOut,
  CustomerOut,
  GroupLearnerOut,
  GroupOut,
  MemberOut,
  MyMembershipOut,
} from './enterprise.schemas.js';
import type { GroupMemberView } from './groups.repository.js';
import type { LearnerMembershipRow, MemberRow } from './memberships.repository.js';
import type { EnterpriseCatalogRow, EnterpriseCustomer, GroupRow } from './schema.js';

/** Rows → API shapes (ISO dates, `enterprise_customer` for the customer's uuid). */

export function toCustomer(row: EnterpriseCustomer): CustomerOut {
  return { ...row, created: row.created.toISOString(), modified: row.modified.toISOString() };
}

export function toMember(row: MemberRow): MemberOut {
  return { ...row, linked: row.linked.toISOString() };
}

export function toMyMembership(row: LearnerMembershipRow): MyMembershipOut {
  return {
    enterprise_customer: { uuid: row.enterprise_customer_uuid, name: row.name, slug: row.slug },
    active: row.active,
    linked: row.linked.toISOString(),
  };
}

export function toCatalog(row: EnterpriseCatalogRow): CatalogOut {
  return {
    uuid: row.uuid,
    enterprise_customer: row.enterprise_customer_uuid,
    title: row.title,
    content_filter: row.content_filter,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export function toGroup(row: GroupRow): GroupOut {
  return {
    uuid: row.uuid,
    enterprise_customer: row.enterprise_customer_uuid,
    name: row.name,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export function toGroupLearner(row: GroupMemberView): GroupLearnerOut {
  return { ...row, created: new Date(row.created).toISOString() };
}
