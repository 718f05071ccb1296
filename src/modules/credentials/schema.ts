import type { ColumnType, Selectable } from 'kysely';

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

export interface CredentialLearnersTable {
  uuid: string;
  lms_user_id: number | null;
  username: string;
  full_name: string | null;
  email: string | null;
  created: Date;
  modified: Date;
}

export interface CourseCertificateConfigsTable {
  uuid: string;
  course_run_key: string;
  certificate_type: CertificateType;
  certificate_available_date: Date | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created: Date;
  modified: Date;
}

export interface UserCredentialsTable {
  uuid: string;
  learner_uuid: string;
  credential_type: CredentialType;
  course_run_key: string | null;
  mode: string | null;
  program_uuid: string | null;
  status: CredentialStatus;
  awarded_at: Date;
  date_override: Date | null;
  created: Date;
  modified: Date;
}

export interface UserCredentialAttributesTable {
  user_credential_uuid: string;
  name: string;
  value: string;
  created: Date;
  modified: Date;
}

export interface CredentialGradesTable {
  uuid: string;
  learner_uuid: string;
  course_run_key: string;
  letter_grade: string;
  /** numeric(5,4): read as a decimal string, written as a number. */
  percent_grade: ColumnType<string, number, number>;
  verified: boolean;
  lms_last_updated_at: Date | null;
  created: Date;
  modified: Date;
}

export interface CreditPathwaysTable {
  uuid: string;
  name: string;
  org_name: string;
  email: string;
  destination_url: string | null;
  description: string | null;
  pathway_type: PathwayType;
  status: PathwayStatus;
  created: Date;
  modified: Date;
}

export interface CreditPathwayProgramsTable {
  pathway_uuid: string;
  program_uuid: string;
  position: number;
}

export interface CreditRequestsTable {
  uuid: string;
  learner_uuid: string;
  pathway_uuid: string;
  program_uuid: string | null;
  status: CreditRequestStatus;
  request_count: ColumnType<number, number | undefined, number>;
  last_sent: Date | null;
  created: Date;
  modified: Date;
}

export interface CreditRequestSendsTable {
  uuid: string;
  credit_request_uuid: string;
  outbox_uuid: string;
  sent_at: Date;
  created: Date;
  modified: Date;
}

export interface ProgramSharedLinksTable {
  uuid: string;
  learner_uuid: string;
  program_uuid: string;
  created: Date;
  modified: Date;
}

export interface DomainEventsTable {
  uuid: string;
  event_type: string;
  aggregate_uuid: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  occurred_at: Date;
  published_at: Date | null;
  created: Date;
  modified: Date;
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
