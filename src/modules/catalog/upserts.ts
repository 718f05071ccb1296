/**
 * Get-or-create writes for importers (`campus import catalog`): each runs inside the caller's
 * transaction, matches an existing record by key (programs: uuid, else title and type), and says
 * whether it created, updated or left the record unchanged, so that re-running an import is a no-op.
 * They check the catalog's rules like the API does, except that existing data may use the `empty`
 * run type (or course type) whatever its course's type, as course-discovery allows
 * (docs/decisions/0010-course-type-catalogue.md).
 */
export type { UpsertOutcome, UpsertResult, WriteDeps } from './upsert-common.js';
export {
  type CourseUpsert,
  type OrganizationUpsert,
  upsertCourse,
  upsertOrganization,
} from './upsert-course.js';
export { type CourseRunUpsert, upsertCourseRun } from './upsert-course-run.js';
export { type ProgramUpsert, upsertProgram } from './upsert-program.js';
