import type { ColumnType, Selectable } from 'kysely';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface EnterpriseCustomerTable {
  uuid: string;
  name: string;
  slug: string;
  active: Defaulted<boolean>;
  country: string | null;
  contact_email: string | null;
  auth_org_id: string | null;
  enable_data_sharing_consent: Defaulted<boolean>;
  created: Date;
  modified: Date;
}

export interface LearnerTable {
  lms_user_id: number;
  username: string;
  email: string | null;
  /** From the LMS token's `name` claim; null until a token carrying it is seen. */
  full_name: Defaulted<string | null>;
  created: Date;
  modified: Date;
}

export interface MembershipTable {
  enterprise_customer_uuid: string;
  lms_user_id: number;
  active: Defaulted<boolean>;
  linked: Date;
  created: Date;
  modified: Date;
}

/** An invitation by email (lower-cased) for someone without a learner record yet. */
export interface PendingByEmailTable {
  enterprise_customer_uuid: string;
  email: string;
  created: Date;
  modified: Date;
}

export interface AdminTable {
  enterprise_customer_uuid: string;
  lms_user_id: number;
  created: Date;
  modified: Date;
}

export interface EnterpriseCatalogTable {
  uuid: string;
  enterprise_customer_uuid: string;
  title: string;
  content_filter: ColumnType<Record<string, unknown>, string, string>;
  created: Date;
  modified: Date;
}

export interface GroupTable {
  uuid: string;
  enterprise_customer_uuid: string;
  name: string;
  created: Date;
  modified: Date;
}

export interface GroupMemberTable {
  group_uuid: string;
  lms_user_id: number;
  created: Date;
  modified: Date;
}

export interface PendingGroupMemberTable {
  group_uuid: string;
  email: string;
  created: Date;
  modified: Date;
}

export type EnterpriseCustomer = Selectable<EnterpriseCustomerTable>;
export type Learner = Selectable<LearnerTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type PendingRow = Selectable<PendingByEmailTable>;
export type EnterpriseCatalogRow = Selectable<EnterpriseCatalogTable>;
export type GroupRow = Selectable<GroupTable>;

export interface EnterpriseTables {
  enterprise_customers: EnterpriseCustomerTable;
  enterprise_learners: LearnerTable;
  enterprise_memberships: MembershipTable;
  enterprise_pending_memberships: PendingByEmailTable;
  enterprise_admins: AdminTable;
  enterprise_pending_admins: PendingByEmailTable;
  enterprise_catalogs: EnterpriseCatalogTable;
  enterprise_groups: GroupTable;
  enterprise_group_members: GroupMemberTable;
  enterprise_pending_group_members: PendingGroupMemberTable;
}
