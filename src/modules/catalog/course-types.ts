import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import {
  assertProfessionalAloneInCourseType,
  assertProfessionalAloneInRunType,
  type CourseTypeView,
  EMPTY_TYPE,
  loadTypeCatalogue,
  type ModeView,
  type ProgramTypeView,
  type RunTypeView,
  type SeatTypeView,
  type TrackView,
  toModeView,
  toSeatTypeView,
} from './type-catalogue.js';
import {
  insertCourseType,
  insertCourseTypeEntitlementTypes,
  insertCourseTypeRunTypes,
  insertMode,
  insertRunType,
  insertRunTypeTracks,
  insertSeatType,
  insertTrack,
  pageKeys,
  type TypeTable,
  type Window,
} from './types.repository.js';

export interface Listed<T> {
  count: number;
  rows: T[];
}

/** The course-type choices offered to editors (course-discovery's OPTIONS `type_options`). */
export interface CourseTypeOption {
  uuid: string;
  name: string;
  entitlement_types: string[];
  course_run_types: { uuid: string; name: string; is_marketable: boolean; modes: string[] }[];
  tracks: { seat_type: SeatTypeView | null; mode: ModeView }[];
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

type Kind = 'seat_types' | 'modes' | 'tracks' | 'course_run_types' | 'course_types' | 'program_types';
const tables: Record<Kind, TypeTable> = {
  seat_types: 'catalog_seat_types',
  modes: 'catalog_modes',
  tracks: 'catalog_tracks',
  course_run_types: 'catalog_run_types',
  course_types: 'catalog_course_types',
  program_types: 'catalog_program_types',
};
interface Views {
  seat_types: SeatTypeView;
  modes: ModeView;
  tracks: TrackView;
  course_run_types: RunTypeView;
  course_types: CourseTypeView;
  program_types: ProgramTypeView;
}

/** One page of one table of the type catalogue; any authenticated caller may read it. */
export async function listTypes<K extends Kind>(
  ctx: AppContext,
  _actor: Principal,
  kind: K,
  input: Window & { includeEmpty?: boolean },
): Promise<Listed<Views[K]>> {
  const db = ctx.db.kysely;
  const except = kind === 'course_types' && !input.includeEmpty ? EMPTY_TYPE : undefined;
  const [{ count, rows: keys }, cat] = await Promise.all([
    pageKeys(db, tables[kind], input, except),
    loadTypeCatalogue(db),
  ]);
  const source = {
    seat_types: cat.seatTypes,
    modes: cat.modes,
    tracks: cat.tracks,
    course_run_types: cat.runTypes,
    course_types: cat.courseTypes,
    program_types: cat.programTypes,
  }[kind] as Map<string, Views[K]>;
  return { count, rows: keys.map((k) => source.get(k)!) };
}

export async function getRunType(ctx: AppContext, _actor: Principal, uuid: string): Promise<RunTypeView> {
  const found = (await loadTypeCatalogue(ctx.db.kysely)).runTypes.get(uuid);
  if (!found) throw new NotFound('No course run type with this uuid.');
  return found;
}

export async function getCourseType(
  ctx: AppContext,
  _actor: Principal,
  uuid: string,
): Promise<CourseTypeView> {
  const found = (await loadTypeCatalogue(ctx.db.kysely)).courseTypes.get(uuid);
  if (!found) throw new NotFound('No course type with this uuid.');
  return found;
}

export async function getProgramType(
  ctx: AppContext,
  _actor: Principal,
  slug: string,
): Promise<ProgramTypeView> {
  const found = (await loadTypeCatalogue(ctx.db.kysely)).programTypesBySlug.get(slug);
  if (!found) throw new NotFound('No program type with this slug.');
  return found;
}

/** Every course type an editor may pick, `empty` left out, each with its run types and tracks. */
export async function courseTypeOptions(ctx: AppContext, _actor: Principal): Promise<CourseTypeOption[]> {
  const cat = await loadTypeCatalogue(ctx.db.kysely);
  return [...cat.courseTypes.values()]
    .filter((ct) => ct.slug !== EMPTY_TYPE)
    .map((ct) => {
      const tracks = new Map<string, TrackView>();
      for (const rt of ct.course_run_types) for (const t of rt.tracks) tracks.set(t.uuid, t);
      return {
        uuid: ct.uuid,
        name: ct.name,
        entitlement_types: ct.entitlement_types,
        course_run_types: ct.course_run_types.map((rt) => ({
          uuid: rt.uuid,
          name: rt.name,
          is_marketable: rt.is_marketable,
          modes: rt.modes,
        })),
        tracks: [...tracks.values()].map((t) => ({ seat_type: t.seat_type, mode: t.mode })),
      };
    });
}

/** Every seat type, as course-discovery's `entitlements…mode.choices`. */
export async function seatTypeChoices(ctx: AppContext, _actor: Principal): Promise<SeatTypeView[]> {
  return [...(await loadTypeCatalogue(ctx.db.kysely)).seatTypes.values()];
}

function duplicateSlug(what: string): ValidationFailed {
  return ValidationFailed.field('slug', `A ${what} with this slug already exists.`, 'duplicate_slug');
}

export async function createSeatType(
  ctx: AppContext,
  actor: Principal,
  input: { name: string; slug?: string },
): Promise<SeatTypeView> {
  requireRole(actor, 'catalog_admin');
  const slug = input.slug ?? slugify(input.name);
  const row = await insertSeatType(ctx.db.kysely, { slug, name: input.name, now: ctx.clock.now() });
  if (!row) throw duplicateSlug('seat type');
  return toSeatTypeView(row);
}

export async function createMode(
  ctx: AppContext,
  actor: Principal,
  input: Omit<ModeView, 'is_certificate_eligible' | 'slug'> & { slug?: string },
): Promise<ModeView> {
  requireRole(actor, 'catalog_admin');
  const row = await insertMode(ctx.db.kysely, {
    ...input,
    slug: input.slug ?? slugify(input.name),
    payee: (input.payee as 'platform' | 'organization' | null) ?? null,
    now: ctx.clock.now(),
  });
  if (!row) throw duplicateSlug('mode');
  return toModeView(row);
}

/** A track pairs an LMS mode with a seat type, or with none (a mode nobody sells, such as masters). */
export async function createTrack(
  ctx: AppContext,
  actor: Principal,
  input: { mode: string; seat_type: string | null },
): Promise<TrackView> {
  requireRole(actor, 'catalog_admin');
  const cat = await loadTypeCatalogue(ctx.db.kysely);
  if (!cat.modes.has(input.mode))
    throw ValidationFailed.field('mode', `Unknown mode "${input.mode}".`, 'unknown_mode');
  if (input.seat_type !== null && !cat.seatTypes.has(input.seat_type)) {
    throw ValidationFailed.field('seat_type', `Unknown seat type "${input.seat_type}".`, 'unknown_seat_type');
  }
  const uuid = ctx.ids.uuid();
  const row = await insertTrack(ctx.db.kysely, { uuid, ...input, now: ctx.clock.now() });
  if (!row) {
    throw ValidationFailed.field(
      'mode',
      'A track with this mode and seat type already exists.',
      'duplicate_track',
    );
  }
  return {
    uuid,
    mode: cat.modes.get(input.mode)!,
    seat_type: input.seat_type ? cat.seatTypes.get(input.seat_type)! : null,
  };
}

export async function createRunType(
  ctx: AppContext,
  actor: Principal,
  input: { name: string; slug?: string; is_marketable: boolean; tracks: string[] },
): Promise<RunTypeView> {
  requireRole(actor, 'catalog_admin');
  const uuid = ctx.ids.uuid();
  const slug = input.slug ?? slugify(input.name);
  await ctx.db.transaction(async (trx) => {
    const cat = await loadTypeCatalogue(trx);
    const unknown = input.tracks.filter((t) => !cat.tracks.has(t));
    if (unknown.length)
      throw ValidationFailed.field('tracks', `Unknown tracks: ${unknown.join(', ')}.`, 'unknown_track');
    assertProfessionalAloneInRunType(input.tracks.map((t) => cat.tracks.get(t)!));
    const row = await insertRunType(trx, {
      uuid,
      name: input.name,
      slug,
      is_marketable: input.is_marketable,
      now: ctx.clock.now(),
    });
    if (!row) throw duplicateSlug('course run type');
    await insertRunTypeTracks(trx, uuid, [...new Set(input.tracks)]);
  });
  return getRunType(ctx, actor, uuid);
}

export async function createCourseType(
  ctx: AppContext,
  actor: Principal,
  input: { name: string; slug?: string; entitlement_types: string[]; course_run_types: string[] },
): Promise<CourseTypeView> {
  requireRole(actor, 'catalog_admin');
  const uuid = ctx.ids.uuid();
  const slug = input.slug ?? slugify(input.name);
  await ctx.db.transaction(async (trx) => {
    const cat = await loadTypeCatalogue(trx);
    const unknownSeats = input.entitlement_types.filter((s) => !cat.seatTypes.has(s));
    if (unknownSeats.length) {
      throw ValidationFailed.field(
        'entitlement_types',
        `Unknown seat types: ${unknownSeats.join(', ')}.`,
        'unknown_seat_type',
      );
    }
    const unknownRunTypes = input.course_run_types.filter((r) => !cat.runTypes.has(r));
    if (unknownRunTypes.length) {
      throw ValidationFailed.field(
        'course_run_types',
        `Unknown course run types: ${unknownRunTypes.join(', ')}.`,
        'unknown_run_type',
      );
    }
    const runTypes = [...new Set(input.course_run_types)];
    assertProfessionalAloneInCourseType(runTypes.map((r) => cat.runTypes.get(r)!));
    const row = await insertCourseType(trx, { uuid, name: input.name, slug, now: ctx.clock.now() });
    if (!row) throw duplicateSlug('course type');
    await insertCourseTypeRunTypes(trx, uuid, runTypes);
    await insertCourseTypeEntitlementTypes(trx, uuid, [...new Set(input.entitlement_types)]);
  });
  return getCourseType(ctx, actor, uuid);
}

/** What a course editor may choose: course types (`type_options`) and entitlement modes (seat types). */
export async function courseEditOptions(
  ctx: AppContext,
  actor: Principal,
): Promise<{ typeOptions: CourseTypeOption[]; seatTypes: SeatTypeView[] }> {
  const [typeOptions, seatTypes] = await Promise.all([
    courseTypeOptions(ctx, actor),
    seatTypeChoices(ctx, actor),
  ]);
  return { typeOptions, seatTypes };
}
