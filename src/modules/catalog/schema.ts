import type { ColumnType, Selectable } from 'kysely';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type CourseStatus = 'unpublished' | 'reviewed' | 'published';
export type RunStatus = 'unpublished' | 'review_by_legal' | 'review_by_internal' | 'reviewed' | 'published';
export type PacingType = 'instructor_paced' | 'self_paced';
export type ProgramStatus = 'unpublished' | 'active' | 'retired' | 'deleted';

export interface SeatTypeTable {
  slug: string;
  name: string;
  created: Date;
  modified: Date;
}

export interface ModeTable {
  slug: string;
  name: string;
  is_id_verified: Defaulted<boolean>;
  is_credit_eligible: Defaulted<boolean>;
  certificate_type: string | null;
  payee: 'platform' | 'organization' | null;
  created: Date;
  modified: Date;
}

export interface TrackTable {
  uuid: string;
  mode: string;
  seat_type: string | null;
  created: Date;
  modified: Date;
}

export interface RunTypeTable {
  uuid: string;
  name: string;
  slug: string;
  is_marketable: Defaulted<boolean>;
  created: Date;
  modified: Date;
}

export interface RunTypeTrackTable {
  run_type_uuid: string;
  track_uuid: string;
}

export interface CourseTypeTable {
  uuid: string;
  name: string;
  slug: string;
  created: Date;
  modified: Date;
}

export interface CourseTypeEntitlementTypeTable {
  course_type_uuid: string;
  seat_type: string;
}

export interface CourseTypeRunTypeTable {
  course_type_uuid: string;
  run_type_uuid: string;
  position: number;
}

export interface ProgramTypeTable {
  uuid: string;
  name: string;
  slug: string;
  coaching_supported: Defaulted<boolean>;
  created: Date;
  modified: Date;
}

export interface ProgramTypeSeatTypeTable {
  program_type_uuid: string;
  seat_type: string;
}

export interface OrganizationTable {
  uuid: string;
  key: string;
  name: string;
  created: Date;
  modified: Date;
}

export interface CourseTable {
  uuid: string;
  key: string;
  key_for_reruns: string | null;
  number: string;
  title: string;
  org_uuid: string;
  course_type_uuid: string;
  status: Defaulted<CourseStatus>;
  reviewed_once: Defaulted<boolean>;
  short_description: string | null;
  full_description: string | null;
  product_source: string | null;
  created: Date;
  modified: Date;
}

export interface EntitlementTable {
  uuid: string;
  course_uuid: string;
  mode: string;
  price_cents: number;
  currency: Defaulted<string>;
  sku: string | null;
  created: Date;
  modified: Date;
}

export interface CourseRunTable {
  uuid: string;
  key: string;
  course_uuid: string;
  run_type_uuid: string;
  title_override: string | null;
  start: Date;
  end: Date | null;
  enrollment_start: Date | null;
  enrollment_end: Date | null;
  pacing_type: Defaulted<PacingType>;
  status: Defaulted<RunStatus>;
  reviewed_once: Defaulted<boolean>;
  hidden: Defaulted<boolean>;
  created: Date;
  modified: Date;
}

export interface SeatTable {
  uuid: string;
  course_run_uuid: string;
  seat_type: string;
  price_cents: number;
  currency: Defaulted<string>;
  upgrade_deadline: Date | null;
  upgrade_deadline_override: Date | null;
  credit_provider: string | null;
  credit_hours: number | null;
  sku: string | null;
  bulk_sku: string | null;
  created: Date;
  modified: Date;
}

export interface ProgramTable {
  uuid: string;
  title: string;
  program_type_uuid: string;
  status: Defaulted<ProgramStatus>;
  marketing_slug: string | null;
  created: Date;
  modified: Date;
}

export interface ProgramCourseTable {
  program_uuid: string;
  course_uuid: string;
  position: number;
}

export interface ProgramExcludedRunTable {
  program_uuid: string;
  course_run_uuid: string;
}

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
