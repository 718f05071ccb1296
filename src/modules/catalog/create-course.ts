import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import { insertCourse } from './courses.repository.js';
import { addRunToCourse, type NewRunInput } from './create-run.js';
import { setEntitlementsForCourseType } from './entitlements-for-course-type.js';
import { getOrganizationByKey } from './organizations.repository.js';
import { getCourse } from './read-courses.js';
import { EMPTY_TYPE, loadTypeCatalogue } from './type-catalogue.js';
import type { CourseView } from './views.js';

/** Course numbers (and org keys) make up run keys: no "+", "/", ":" or spaces. */
export const COURSE_NUMBER = /^[A-Za-z0-9_.-]{1,64}$/;

export interface NewCourseInput {
  title: string;
  number: string;
  /** The organization key. */
  org: string;
  /** A course type uuid. */
  type: string;
  pricesCents?: Record<string, number>;
  short_description?: string | null;
  full_description?: string | null;
  product_source?: string | null;
  key_for_reruns?: string | null;
  course_run?: NewRunInput;
}

/**
 * POST /courses/: an unpublished course `ORG+NUMBER` with one entitlement per entitlement seat
 * type of its course type, and optionally its first run, in one transaction.
 */
export async function createCourse(
  ctx: AppContext,
  actor: Principal,
  input: NewCourseInput,
): Promise<CourseView> {
  requireRole(actor, 'catalog_admin');
  if (!COURSE_NUMBER.test(input.number)) {
    throw ValidationFailed.field(
      'number',
      'Use letters, digits, ".", "_" or "-" only.',
      'invalid_course_number',
    );
  }
  const key = await ctx.db.transaction(async (trx) => {
    const cat = await loadTypeCatalogue(trx);
    const org = await getOrganizationByKey(trx, input.org);
    if (!org)
      throw ValidationFailed.field(
        'org',
        `Organization [${input.org}] does not exist.`,
        'unknown_organization',
      );
    const courseType = cat.courseTypes.get(input.type);
    if (!courseType || courseType.slug === EMPTY_TYPE) {
      throw ValidationFailed.field('type', 'Unknown course type.', 'unknown_course_type');
    }
    const key = `${org.key}+${input.number}`;
    const course = await insertCourse(trx, {
      uuid: ctx.ids.uuid(),
      key,
      key_for_reruns: input.key_for_reruns ?? null,
      number: input.number,
      title: input.title,
      org_uuid: org.uuid,
      course_type_uuid: courseType.uuid,
      short_description: input.short_description ?? null,
      full_description: input.full_description ?? null,
      product_source: input.product_source ?? null,
      now: ctx.clock.now(),
    });
    if (!course) {
      throw ValidationFailed.field(
        'number',
        `A course with key [${key}] already exists.`,
        'duplicate_course_key',
      );
    }
    await setEntitlementsForCourseType(ctx, trx, {
      courseUuid: course.uuid,
      courseType,
      pricesCents: input.pricesCents,
    });
    if (input.course_run) {
      await addRunToCourse(ctx, trx, cat, course, {
        ...input.course_run,
        pricesCents: input.course_run.pricesCents ?? input.pricesCents,
      });
    }
    return key;
  });
  return getCourse(ctx, actor, key);
}
