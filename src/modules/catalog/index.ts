import type { CampusModule } from '../../http/module.js';
import { catalogRoutes } from './routes.js';

/**
 * The catalog: the type catalogue (seat types, modes, tracks, course run types, course types,
 * program types), organizations, courses with entitlements, course runs with seats, programs.
 * Other modules read it through the lookups below and importers write through the upserts.
 */

export { contentMetadataOut, coursePartnerOut } from './catalog.schemas.js';
// Reads for other modules (no actor: the caller has authorized its own request).
export { type CommerceFacts, commerceFacts } from './commerce-facts.js';
export {
  type ContentMetadata,
  type CoursePartner,
  contentMetadata,
  coursePartners,
} from './content-metadata.js';
// Services behind the HTTP API, for CLI commands and tests.
export { courseTypeOptions, createCourseType, createRunType, listTypes } from './course-types.js';
export { createCourse } from './create-course.js';
export { createRun } from './create-run.js';
export { contentOfFilter, type FilterContentItem } from './filter-content.js';
// The `campus import catalog` command (built in import/).
export { type CatalogImportReport, importCatalog, parseCatalogDump } from './import/import-catalog.js';
export {
  contentPrice,
  getCourseByKey,
  getProgramWithRuns,
  getRunByKey,
  type ProgramWithRuns,
  type RunModesAndPrices,
  runModesAndPrices,
} from './lookups.js';
export { createOrganization } from './organizations.js';
export { createProgram, getProgram, listPrograms, updateProgram } from './programs.js';
export { getCourse, listCourses } from './read-courses.js';
export { getRun, listRuns } from './read-runs.js';
export { type RunStartAndCourseType, runStartsAndCourseTypes } from './run-course-types.js';
export type { CourseStatus, PacingType, ProgramStatus, RunStatus } from './schema.js';
export { defaultUpgradeDeadline, UPGRADE_DEADLINE_DAYS } from './seats-for-run-type.js';
export { SEEDED_COURSE_TYPES, SEEDED_RUN_TYPES, SEEDED_TRACKS } from './seeded-types.js';
export { type CourseTypeView, EMPTY_TYPE, type RunTypeView } from './type-catalogue.js';
export { updateCourse } from './update-course.js';
export { updateRun } from './update-run.js';
// Get-or-create writes for importers, inside the caller's transaction.
export {
  type CourseRunUpsert,
  type CourseUpsert,
  type OrganizationUpsert,
  type ProgramUpsert,
  type UpsertOutcome,
  type UpsertResult,
  upsertCourse,
  upsertCourseRun,
  upsertOrganization,
  upsertProgram,
  type WriteDeps,
} from './upserts.js';
export type { CourseView, ProgramView, RunView, SeatView } from './views.js';

export const catalogModule: CampusModule = { name: 'catalog', prefix: '/catalog', routes: catalogRoutes };
export { CONTENT_FILTER_FIELDS, matchContentKeys, matchContentKeysForFilters } from './content-filter.js';
