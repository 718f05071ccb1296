import type { Executor } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import { deleteEntitlementsExcept, upsertEntitlement } from './courses.repository.js';
import type { EntitlementRow } from './schema.js';
import type { SeatDeps } from './seats-for-run-type.js';
import type { CourseTypeView } from './type-catalogue.js';

/**
 * After review, a course's entitlement types may only widen: every current mode must remain (no
 * entitlement counts as audit, so audit → verified is the widening the reference allows).
 */
export function assertEntitlementTypesOnlyWiden(current: EntitlementRow[], target: string[]): void {
  const currentModes = current.length ? current.map((e) => e.mode) : ['audit'];
  const widened = new Set([...target, 'audit']);
  if (currentModes.some((m) => !widened.has(m))) {
    throw ValidationFailed.field(
      'type',
      'Switching entitlement types after being reviewed is not supported. Please reach out to your project coordinator for additional help if necessary.',
      'entitlement_types_may_only_widen_after_review',
    );
  }
}

/**
 * Makes the course's entitlements exactly one per entitlement seat type of its course type
 * (docs/decisions/0010-course-type-catalogue.md): prices from `pricesCents`, otherwise kept (0
 * for a new one); others deleted.
 */
export async function setEntitlementsForCourseType(
  deps: SeatDeps,
  trx: Executor,
  input: { courseUuid: string; courseType: CourseTypeView; pricesCents?: Record<string, number> },
): Promise<void> {
  const now = deps.clock.now();
  for (const mode of input.courseType.entitlement_types) {
    await upsertEntitlement(trx, {
      uuid: deps.ids.uuid(),
      course_uuid: input.courseUuid,
      mode,
      price_cents: input.pricesCents?.[mode],
      now,
    });
  }
  await deleteEntitlementsExcept(trx, input.courseUuid, input.courseType.entitlement_types);
}
