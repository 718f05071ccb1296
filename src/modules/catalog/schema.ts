import type { ColumnType, Selectable } from 'kysely';
import type { Holds, Refines, RequiredOnInsert } from '../../db/table-types.js';
import type {
  CatalogCourseRunsColumns,
  CatalogCoursesColumns,
  CatalogCourseTypeEntitlementTypesColumns,
  CatalogCourseTypeRunTypesColumns,
  CatalogCourseTypesColumns,
  CatalogEntitlementsColumns,
  CatalogModesColumns,
  CatalogOrganizationsColumns,
  CatalogProgramCoursesColumns,
  CatalogProgramExcludedRunsColumns,
  CatalogProgramsColumns,
  CatalogProgramTypeSeatTypesColumns,
  CatalogProgramTypesColumns,
  CatalogRunTypesColumns,
  CatalogRunTypeTracksColumns,
  CatalogSeatsColumns,
  CatalogSeatTypesColumns,
  CatalogTableColumns,
  CatalogTracksColumns,
} from './tables.generated.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type CourseStatus = 'unpublished' | 'reviewed' | 'published';
export type RunStatus = 'unpublished' | 'review_by_legal' | 'review_by_internal' | 'reviewed' | 'published';
export type PacingType = 'instructor_paced' | 'self_paced';
export type ProgramStatus = 'unpublished' | 'active' | 'retired' | 'deleted';

export type SeatTypeTable = CatalogSeatTypesColumns;

export interface ModeTable extends Omit<CatalogModesColumns, 'payee'> {
  payee: 'platform' | 'organization' | null;
}

export type TrackTable = CatalogTracksColumns;

export type RunTypeTable = CatalogRunTypesColumns;

export type RunTypeTrackTable = CatalogRunTypeTracksColumns;

export type CourseTypeTable = CatalogCourseTypesColumns;

export type CourseTypeEntitlementTypeTable = CatalogCourseTypeEntitlementTypesColumns;

export type CourseTypeRunTypeTable = CatalogCourseTypeRunTypesColumns;

export type ProgramTypeTable = CatalogProgramTypesColumns;

export type ProgramTypeSeatTypeTable = CatalogProgramTypeSeatTypesColumns;

export type OrganizationTable = CatalogOrganizationsColumns;

export interface CourseTable extends Omit<CatalogCoursesColumns, 'status'> {
  status: Defaulted<CourseStatus>;
}

export interface EntitlementTable extends Omit<CatalogEntitlementsColumns, 'price_cents'> {
  price_cents: RequiredOnInsert<number>;
}

export interface CourseRunTable extends Omit<CatalogCourseRunsColumns, 'status' | 'pacing_type'> {
  status: Defaulted<RunStatus>;
  pacing_type: Defaulted<PacingType>;
}

export interface SeatTable extends Omit<CatalogSeatsColumns, 'price_cents'> {
  price_cents: RequiredOnInsert<number>;
}

export interface ProgramTable extends Omit<CatalogProgramsColumns, 'status'> {
  status: Defaulted<ProgramStatus>;
}

export type ProgramCourseTable = CatalogProgramCoursesColumns;

export type ProgramExcludedRunTable = CatalogProgramExcludedRunsColumns;

export type SeatTypeRow = Selectable<SeatTypeTable>;
export type ModeRow = Selectable<ModeTable>;
export type TrackRow = Selectable<TrackTable>;
export type RunTypeRow = Selectable<RunTypeTable>;
export type CourseTypeRow = Selectable<CourseTypeTable>;
export type ProgramTypeRow = Selectable<ProgramTypeTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type CourseRow = Selectable<CourseTable>;
export type EntitlementRow = Selectable<EntitlementTable>;
export type CourseRunRow = Selectable<CourseRunTable>;
export type SeatRow = Selectable<SeatTable>;
export type ProgramRow = Selectable<ProgramTable>;

/**
 * The tables this module owns. `npm run db:types` writes their columns, as the migrations make them, into
 * tables.generated.ts; the table types here take those and narrow some columns by hand.
 */
export const OWNED_TABLES = [
  'catalog_seat_types',
  'catalog_modes',
  'catalog_tracks',
  'catalog_run_types',
  'catalog_run_type_tracks',
  'catalog_course_types',
  'catalog_course_type_entitlement_types',
  'catalog_course_type_run_types',
  'catalog_program_types',
  'catalog_program_type_seat_types',
  'catalog_organizations',
  'catalog_courses',
  'catalog_entitlements',
  'catalog_course_runs',
  'catalog_seats',
  'catalog_programs',
  'catalog_program_courses',
  'catalog_program_excluded_runs',
] as const;

export interface CatalogTables {
  catalog_seat_types: SeatTypeTable;
  catalog_modes: ModeTable;
  catalog_tracks: TrackTable;
  catalog_run_types: RunTypeTable;
  catalog_run_type_tracks: RunTypeTrackTable;
  catalog_course_types: CourseTypeTable;
  catalog_course_type_entitlement_types: CourseTypeEntitlementTypeTable;
  catalog_course_type_run_types: CourseTypeRunTypeTable;
  catalog_program_types: ProgramTypeTable;
  catalog_program_type_seat_types: ProgramTypeSeatTypeTable;
  catalog_organizations: OrganizationTable;
  catalog_courses: CourseTable;
  catalog_entitlements: EntitlementTable;
  catalog_course_runs: CourseRunTable;
  catalog_seats: SeatTable;
  catalog_programs: ProgramTable;
  catalog_program_courses: ProgramCourseTable;
  catalog_program_excluded_runs: ProgramExcludedRunTable;
}

/** tsc fails here when a migration changes what a refinement above narrows (see src/db/table-types.ts). */
export type CatalogRefinementsHold = Holds<Refines<CatalogTableColumns, CatalogTables>>;
