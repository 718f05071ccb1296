import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines } from '../../db/table-types.js';
import type {
  EnterpriseAdminsColumns,
  EnterpriseCatalogsColumns,
  EnterpriseCustomersColumns,
  EnterpriseGroupMembersColumns,
  EnterpriseGroupsColumns,
  EnterpriseLearnersColumns,
  EnterpriseMembershipsColumns,
  EnterprisePendingGroupMembersColumns,
  EnterprisePendingMembershipsColumns,
  EnterpriseTableColumns,
} from './tables.generated.js';

export type EnterpriseCustomerTable = EnterpriseCustomersColumns;

/** `full_name` is the LMS token's `name` claim; null until a token carrying it is seen. */
export type LearnerTable = EnterpriseLearnersColumns;

export type MembershipTable = EnterpriseMembershipsColumns;

/** An invitation by email (lower-cased) for someone without a learner record yet. */
export type PendingByEmailTable = EnterprisePendingMembershipsColumns;

export type AdminTable = EnterpriseAdminsColumns;

export interface EnterpriseCatalogTable extends Omit<EnterpriseCatalogsColumns, 'content_filter'> {
  content_filter: ColumnType<Record<string, unknown>, string, string>;
}

export type GroupTable = EnterpriseGroupsColumns;

export type GroupMemberTable = EnterpriseGroupMembersColumns;

export type PendingGroupMemberTable = EnterprisePendingGroupMembersColumns;

export type EnterpriseCustomer = Selectable<EnterpriseCustomerTable>;
export type Learner = Selectable<LearnerTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type PendingRow = Selectable<PendingByEmailTable>;
export type EnterpriseCatalogRow = Selectable<EnterpriseCatalogTable>;
export type GroupRow = Selectable<GroupTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'enterprise_customers',
  'enterprise_learners',
  'enterprise_memberships',
  'enterprise_pending_memberships',
  'enterprise_admins',
  'enterprise_pending_admins',
  'enterprise_catalogs',
  'enterprise_groups',
  'enterprise_group_members',
  'enterprise_pending_group_members',
] as const;

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

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type EnterpriseRefinementsHold = Holds<Refines<EnterpriseTableColumns, EnterpriseTables>>;
