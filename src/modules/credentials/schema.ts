import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines, RequiredOnInsert } from '../../db/table-types.js';
import type {
  CourseCertificateConfigsColumns,
  CredentialGradesColumns,
  CredentialLearnersColumns,
  CredentialsTableColumns,
  CreditPathwayProgramsColumns,
  CreditPathwaysColumns,
  CreditRequestSendsColumns,
  CreditRequestsColumns,
  DomainEventsColumns,
  ProgramSharedLinksColumns,
  UserCredentialAttributesColumns,
  UserCredentialsColumns,
} from './tables.generated.js';

export type CredentialStatus = 'awarded' | 'revoked';
export type CredentialType = 'course-run' | 'program';
export type CertificateType =
  | 'honor'
  | 'verified'
  | 'professional'
  | 'no-id-professional'
  | 'masters'
  | 'audit'
  | 'credit'
  | 'executive-education';
export type PathwayType = 'credit' | 'industry';
export type PathwayStatus = 'unpublished' | 'published' | 'retired';
export type CreditRequestStatus = 'sent' | '';

export type CredentialLearnersTable = CredentialLearnersColumns;

export interface CourseCertificateConfigsTable
  extends Omit<CourseCertificateConfigsColumns, 'certificate_type'> {
  certificate_type: CertificateType;
}

export interface UserCredentialsTable extends Omit<UserCredentialsColumns, 'status' | 'credential_type'> {
  status: CredentialStatus;
  credential_type: CredentialType;
}

export type UserCredentialAttributesTable = UserCredentialAttributesColumns;

export interface CredentialGradesTable
  extends Omit<CredentialGradesColumns, 'verified' | 'letter_grade' | 'percent_grade'> {
  verified: RequiredOnInsert<boolean>;
  letter_grade: RequiredOnInsert<string>;
  /** numeric(5,4): read as a decimal string, written as a number. */
  percent_grade: ColumnType<string, number, number>;
}

export interface CreditPathwaysTable
  extends Omit<CreditPathwaysColumns, 'status' | 'email' | 'org_name' | 'pathway_type'> {
  status: PathwayStatus;
  email: RequiredOnInsert<string>;
  org_name: RequiredOnInsert<string>;
  pathway_type: PathwayType;
}

export type CreditPathwayProgramsTable = CreditPathwayProgramsColumns;

export interface CreditRequestsTable extends Omit<CreditRequestsColumns, 'status'> {
  status: CreditRequestStatus;
}

export type CreditRequestSendsTable = CreditRequestSendsColumns;

export type ProgramSharedLinksTable = ProgramSharedLinksColumns;

export interface DomainEventsTable extends Omit<DomainEventsColumns, 'payload'> {
  payload: ColumnType<Record<string, unknown>, string, string>;
}

export type LearnerRow = Selectable<CredentialLearnersTable>;
export type CertConfigRow = Selectable<CourseCertificateConfigsTable>;
export type UserCredentialRow = Selectable<UserCredentialsTable>;
export type AttributeRow = Selectable<UserCredentialAttributesTable>;
export type GradeRow = Selectable<CredentialGradesTable>;
export type PathwayRow = Selectable<CreditPathwaysTable>;
export type CreditRequestRow = Selectable<CreditRequestsTable>;
export type SharedLinkRow = Selectable<ProgramSharedLinksTable>;
export type DomainEventRow = Selectable<DomainEventsTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'credential_learners',
  'course_certificate_configs',
  'user_credentials',
  'user_credential_attributes',
  'credential_grades',
  'credit_pathways',
  'credit_pathway_programs',
  'credit_requests',
  'credit_request_sends',
  'program_shared_links',
  'domain_events',
] as const;

export interface CredentialsTables {
  credential_learners: CredentialLearnersTable;
  course_certificate_configs: CourseCertificateConfigsTable;
  user_credentials: UserCredentialsTable;
  user_credential_attributes: UserCredentialAttributesTable;
  credential_grades: CredentialGradesTable;
  credit_pathways: CreditPathwaysTable;
  credit_pathway_programs: CreditPathwayProgramsTable;
  credit_requests: CreditRequestsTable;
  credit_request_sends: CreditRequestSendsTable;
  program_shared_links: ProgramSharedLinksTable;
  domain_events: DomainEventsTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type CredentialsRefinementsHold = Holds<Refines<CredentialsTableColumns, CredentialsTables>>;
