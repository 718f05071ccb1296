import type { AppContext } from '../../context.js';
import { NotFound, ValidationFailed } from '../../shared/errors.js';
import { type Principal, requireRole } from '../../shared/principal.js';
import {
  type CoursePatch,
  entitlementsOfCourses,
  getCourseByKey,
  getCourseByUuid,
  lockCourse,
  updateCourse as updateRow,
} from './courses.repository.js';
import {
  assertEntitlementTypesOnlyWiden,
  setEntitlementsForCourseType,
} from './entitlements-for-course-type.js';
import { isUuid } from './lookup-keys.js';
import { getCourse } from './read-courses.js';
import type { CourseStatus } from './schema.js';
import { EMPTY_TYPE, loadTypeCatalogue } from './type-catalogue.js';
import type { CourseView } from './views.js';

export interface CourseUpdate {
  title?: string;
  /** A course type uuid. */
  type?: string;
  pricesCents?: Record<string, number>;
  status?: CourseStatus;
  short_description?: string | null;
  full_description?: string | null;
  product_source?: string | null;
  key_for_reruns?: string | null;
}

/**
 * PATCH /courses/{key}/: the key never changes; entitlements follow the (new) course type, and
 * after review its entitlement types may only widen. Runs keep their run types: change each with
 * PATCH /course_runs/ afterwards, where the new course type is checked.
 */
export async function updateCourse(
  ctx: AppContext,
  actor: Principal,
  keyOrUuid: string,
  input: CourseUpdate,
): Promise<CourseView> {
  requireRole(actor, 'catalog_admin');
  const key = await ctx.db.transaction(async (trx) => {
    const found = isUuid(keyOrUuid)
      ? await getCourseByUuid(trx, keyOrUuid)
      : await getCourseByKey(trx, keyOrUuid);
    if (!found) throw new NotFound('No course with this key.');
    const course = (await lockCourse(trx, found.uuid))!;
    const cat = await loadTypeCatalogue(trx);
    let courseType = cat.courseTypes.get(course.course_type_uuid)!;
    if (input.type !== undefined && input.type !== course.course_type_uuid) {
      const wanted = cat.courseTypes.get(input.type);
      if (!wanted || wanted.slug === EMPTY_TYPE) {
        throw ValidationFailed.field('type', 'Unknown course type.', 'unknown_course_type');
      }
      if (course.reviewed_once) {
        assertEntitlementTypesOnlyWiden(
          await entitlementsOfCourses(trx, [course.uuid]),
          wanted.entitlement_types,
        );
      }
      courseType = wanted;
    }
    const patch: CoursePatch = {
      title: input.title,
      course_type_uuid: courseType.uuid,
      status: input.status,
      short_description: input.short_description,
      full_description: input.full_description,
      product_source: input.product_source,
      key_for_reruns: input.key_for_reruns,
    };
    if (input.status === 'reviewed' || input.status === 'published') patch.reviewed_once = true;
    await updateRow(trx, course.uuid, patch, ctx.clock.now());
    await setEntitlementsForCourseType(ctx, trx, {
      courseUuid: course.uuid,
      courseType,
      pricesCents: input.pricesCents,
    });
    return course.key;
  });
  return getCourse(ctx, actor, key);
}
