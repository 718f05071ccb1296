import type { Executor } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import type { ModeRow, SeatTypeRow } from './schema.js';
import {
  allCourseTypeEntitlementTypes,
  allCourseTypeRunTypes,
  allCourseTypes,
  allModes,
  allProgramTypeSeatTypes,
  allProgramTypes,
  allRunTypes,
  allRunTypeTracks,
  allSeatTypes,
  allTracks,
} from './types.repository.js';

/** The slug of the fallback course and run type: unknown, never offered, allowed on import only. */
export const EMPTY_TYPE = 'empty';
/** Modes (and seat types) that make a track professional: they never combine with another. */
export const PROFESSIONAL_SLUGS: readonly string[] = ['professional', 'no-id-professional'];

export interface SeatTypeView {
  name: string;
  slug: string;
}

export interface ModeView {
  name: string;
  slug: string;
  is_id_verified: boolean;
  is_credit_eligible: boolean;
  certificate_type: string | null;
  payee: string | null;
  is_certificate_eligible: boolean;
}

export interface TrackView {
  uuid: string;
  mode: ModeView;
  seat_type: SeatTypeView | null;
}

export interface RunTypeView {
  uuid: string;
  name: string;
  slug: string;
  is_marketable: boolean;
  tracks: TrackView[];
  /** The LMS modes of its tracks. */
  modes: string[];
  /** The seats a run of this type has: the non-null seat types of its tracks. */
  seat_types: string[];
}

export interface CourseTypeView {
  uuid: string;
  name: string;
  slug: string;
  entitlement_types: string[];
  /** In display order. */
  course_run_types: RunTypeView[];
}

export interface ProgramTypeView {
  uuid: string;
  name: string;
  slug: string;
  coaching_supported: boolean;
  applicable_seat_types: string[];
}

/** Every type, loaded together: a few dozen rows that every catalog write validates against. */
export interface TypeCatalogue {
  seatTypes: Map<string, SeatTypeView>;
  modes: Map<string, ModeView>;
  tracks: Map<string, TrackView>;
  runTypes: Map<string, RunTypeView>;
  runTypesBySlug: Map<string, RunTypeView>;
  courseTypes: Map<string, CourseTypeView>;
  courseTypesBySlug: Map<string, CourseTypeView>;
  programTypes: Map<string, ProgramTypeView>;
  programTypesBySlug: Map<string, ProgramTypeView>;
}

export function toSeatTypeView(row: SeatTypeRow): SeatTypeView {
  return { name: row.name, slug: row.slug };
}

export function toModeView(row: ModeRow): ModeView {
  return {
    name: row.name,
    slug: row.slug,
    is_id_verified: row.is_id_verified,
    is_credit_eligible: row.is_credit_eligible,
    certificate_type: row.certificate_type,
    payee: row.payee,
    is_certificate_eligible: Boolean(row.certificate_type),
  };
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

export async function loadTypeCatalogue(db: Executor): Promise<TypeCatalogue> {
  const [
    seatTypeRows,
    modeRows,
    trackRows,
    runTypeRows,
    runTypeTracks,
    courseTypeRows,
    ctRunTypes,
    ctEnt,
    ptRows,
    ptSeats,
  ] = await Promise.all([
    allSeatTypes(db),
    allModes(db),
    allTracks(db),
    allRunTypes(db),
    allRunTypeTracks(db),
    allCourseTypes(db),
    allCourseTypeRunTypes(db),
    allCourseTypeEntitlementTypes(db),
    allProgramTypes(db),
    allProgramTypeSeatTypes(db),
  ]);
  const seatTypes = new Map(seatTypeRows.map((r) => [r.slug, toSeatTypeView(r)]));
  const modes = new Map(modeRows.map((r) => [r.slug, toModeView(r)]));
  const tracks = new Map<string, TrackView>(
    trackRows.map((r) => [
      r.uuid,
      { uuid: r.uuid, mode: modes.get(r.mode)!, seat_type: r.seat_type ? seatTypes.get(r.seat_type)! : null },
    ]),
  );
  const tracksOf = groupBy(runTypeTracks, (r) => r.run_type_uuid);
  const runTypes = new Map<string, RunTypeView>(
    runTypeRows.map((r) => {
      const ts = (tracksOf.get(r.uuid) ?? []).map((t) => tracks.get(t.track_uuid)!);
      return [
        r.uuid,
        {
          uuid: r.uuid,
          name: r.name,
          slug: r.slug,
          is_marketable: r.is_marketable,
          tracks: ts,
          modes: ts.map((t) => t.mode.slug),
          seat_types: ts.flatMap((t) => (t.seat_type ? [t.seat_type.slug] : [])),
        },
      ];
    }),
  );
  const runTypesOf = groupBy(ctRunTypes, (r) => r.course_type_uuid);
  const entOf = groupBy(ctEnt, (r) => r.course_type_uuid);
  const courseTypes = new Map<string, CourseTypeView>(
    courseTypeRows.map((r) => [
      r.uuid,
      {
        uuid: r.uuid,
        name: r.name,
        slug: r.slug,
        entitlement_types: (entOf.get(r.uuid) ?? []).map((e) => e.seat_type),
        course_run_types: (runTypesOf.get(r.uuid) ?? []).map((x) => runTypes.get(x.run_type_uuid)!),
      },
    ]),
  );
  const seatsOf = groupBy(ptSeats, (r) => r.program_type_uuid);
  const programTypes = new Map<string, ProgramTypeView>(
    ptRows.map((r) => [
      r.uuid,
      {
        uuid: r.uuid,
        name: r.name,
        slug: r.slug,
        coaching_supported: r.coaching_supported,
        applicable_seat_types: (seatsOf.get(r.uuid) ?? []).map((s) => s.seat_type),
      },
    ]),
  );
  const bySlug = <T extends { slug: string }>(m: Map<string, T>) =>
    new Map([...m.values()].map((v) => [v.slug, v]));
  return {
    seatTypes,
    modes,
    tracks,
    runTypes,
    runTypesBySlug: bySlug(runTypes),
    courseTypes,
    courseTypesBySlug: bySlug(courseTypes),
    programTypes,
    programTypesBySlug: bySlug(programTypes),
  };
}

export function isProfessionalTrack(track: TrackView): boolean {
  return (
    PROFESSIONAL_SLUGS.includes(track.mode.slug) ||
    (track.seat_type !== null && PROFESSIONAL_SLUGS.includes(track.seat_type.slug))
  );
}

/** Professional stands alone in a run type: no professional track beside any other track. */
export function assertProfessionalAloneInRunType(tracks: TrackView[]): void {
  if (tracks.length > 1 && tracks.some(isProfessionalTrack)) {
    throw ValidationFailed.field(
      'tracks',
      'A professional track must stand alone: a course run type may not combine it with any other track.',
      'professional_must_stand_alone',
    );
  }
}

/** Professional stands alone in a course type: no professional run type beside a non-professional one. */
export function assertProfessionalAloneInCourseType(runTypes: RunTypeView[]): void {
  const professional = runTypes.filter((rt) => rt.tracks.some(isProfessionalTrack));
  if (professional.length > 0 && professional.length < runTypes.length) {
    throw ValidationFailed.field(
      'course_run_types',
      'A professional course run type must stand alone: a course type may not allow it beside other course run types.',
      'professional_must_stand_alone',
    );
  }
}

/** True when a course of this type may hold a run of that type. */
export function runTypeAllowed(courseType: CourseTypeView, runType: RunTypeView): boolean {
  return courseType.course_run_types.some((rt) => rt.uuid === runType.uuid);
}

/** The reference's refusal when a run type is not one of its course type's run types. */
export function runTypeNotAllowed(courseType: CourseTypeView, runType: RunTypeView): ValidationFailed {
  return ValidationFailed.field(
    'run_type',
    `The course run type '${runType.name}' is not valid for this course type '${courseType.name}'.`,
    'run_type_not_allowed_for_course_type',
  );
}
