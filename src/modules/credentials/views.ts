import type { CredentialOut } from './credentials.schemas.js';
import { apiDate } from './program-progress.js';
import type {
  AttributeRow,
  CertConfigRow,
  GradeRow,
  LearnerRow,
  PathwayRow,
  UserCredentialRow,
} from './schema.js';

const dateOrNull = (d: Date | null) => (d ? apiDate(d) : null);

export function credentialView(
  row: UserCredentialRow,
  learner: LearnerRow,
  attributes: AttributeRow[],
): CredentialOut {
  return {
    uuid: row.uuid,
    username: learner.username,
    lms_user_id: learner.lms_user_id,
    credential:
      row.credential_type === 'program'
        ? { type: 'program', program_uuid: row.program_uuid! }
        : { type: 'course-run', course_run_key: row.course_run_key!, mode: row.mode! },
    status: row.status,
    attributes: attributes
      .filter((a) => a.user_credential_uuid === row.uuid)
      .map((a) => ({ name: a.name, value: a.value })),
    date_override: row.date_override ? { date: apiDate(row.date_override) } : null,
    created: apiDate(row.created),
    modified: apiDate(row.modified),
  };
}

export function gradeView(row: GradeRow, learner: LearnerRow) {
  return {
    id: row.uuid,
    username: learner.username,
    lms_user_id: learner.lms_user_id,
    course_run: row.course_run_key,
    letter_grade: row.letter_grade,
    percent_grade: Number(row.percent_grade),
    verified: row.verified,
    lms_last_updated_at: dateOrNull(row.lms_last_updated_at),
    created: apiDate(row.created),
    modified: apiDate(row.modified),
  };
}

export function certConfigView(row: CertConfigRow, runUuid: string | null) {
  return {
    id: row.uuid,
    course_id: row.course_run_key,
    course_run: runUuid,
    certificate_type: row.certificate_type,
    certificate_available_date: dateOrNull(row.certificate_available_date),
    is_active: row.is_active,
  };
}

export function pathwayView(row: PathwayRow, programs: string[]) {
  return {
    id: row.uuid,
    name: row.name,
    org_name: row.org_name,
    email: row.email,
    destination_url: row.destination_url,
    description: row.description,
    pathway_type: row.pathway_type,
    status: row.status,
    programs,
    created: apiDate(row.created),
    modified: apiDate(row.modified),
  };
}

export { dateOrNull };
