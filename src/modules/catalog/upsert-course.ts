import type { Trx } from '../../database.js';
import { ValidationFailed } from '../../shared/errors.js';
import {
  deleteEntitlementsExcept,
  entitlementsOfCourses,
  getCourseByKey,
  insertCourse,
  lockCourse,
  updateCourse,
  upsertEntitlement,
} from './courses.repository.js';
import { COURSE_NUMBER } from './create-course.js';
import { ORG_KEY } from './organizations.js';
import {
  getOrganizationByKey,
  insertOrganization,
  updateOrganizationName,
} from './organizations.repository.js';
import type { CourseStatus } from './schema.js';
import { EMPTY_TYPE } from './type-catalogue.js';

import {
  catalogueOf,
  REVIEWED,
  type UpsertOutcome,
  type UpsertResult,
  type WriteDeps,
} from './upsert-common.js';

export interface OrganizationUpsert {
  key: string;
  name: string;
  /** Used only when the organization is created. */
  uuid?: string | null;
}

/** Get-or-create an organization by key; an existing one takes the given name. */
export async function upsertOrganization(
  deps: WriteDeps,
  trx: Trx,
  input: OrganizationUpsert,
): Promise<UpsertResult> {
  if (!ORG_KEY.test(input.key)) {
    throw ValidationFailed.field(
      'key',
      'Use letters, digits, ".", "_" or "-" only.',
      'invalid_organization_key',
    );
  }
  const now = deps.clock.now();
  const existing = await getOrganizationByKey(trx, input.key);
  if (!existing) {
    const row = await insertOrganization(trx, {
      uuid: input.uuid ?? deps.ids.uuid(),
      key: input.key,
      name: input.name,
      now,
    });
    return { outcome: 'created', uuid: row!.uuid };
  }
  if (existing.name === input.name) return { outcome: 'unchanged', uuid: existing.uuid };
  await updateOrganizationName(trx, existing.uuid, input.name, now);
  return { outcome: 'updated', uuid: existing.uuid };
}

export interface CourseUpsert {
  /** ORG+NUMBER. */
  key: string;
  title: string;
  /** A course type slug (`empty` allowed). */
  courseType: string;
  /** The organization key; defaults to the key's ORG part. The organization must exist. */
  org?: string | null;
  /** Used only when the course is created. */
  uuid?: string | null;
  shortDescription?: string | null;
  status?: CourseStatus;
  /** When given, the course's entitlements become exactly these (modes of the course type). */
  entitlements?: { mode: string; priceCents: number; currency?: string }[];
}

/** Get-or-create a course by key: title, type, organization, description and entitlements. */
export async function upsertCourse(deps: WriteDeps, trx: Trx, input: CourseUpsert): Promise<UpsertResult> {
  const [orgPart, number, ...extra] = input.key.split('+');
  if (!orgPart || !number || extra.length || !COURSE_NUMBER.test(number)) {
    throw ValidationFailed.field('key', 'Course keys look like ORG+NUMBER.', 'invalid_course_key');
  }
  const cat = await catalogueOf(trx);
  const courseType = cat.courseTypesBySlug.get(input.courseType);
  if (!courseType) {
    throw ValidationFailed.field(
      'course_type',
      `Unknown course type "${input.courseType}".`,
      'unknown_course_type',
    );
  }
  const orgKey = input.org ?? orgPart;
  const org = await getOrganizationByKey(trx, orgKey);
  if (!org)
    throw ValidationFailed.field('org', `Organization [${orgKey}] does not exist.`, 'unknown_organization');
  const entitlements = input.entitlements;
  if (entitlements && courseType.slug !== EMPTY_TYPE) {
    const foreign = entitlements.filter((e) => !courseType.entitlement_types.includes(e.mode));
    if (foreign.length) {
      throw ValidationFailed.field(
        'entitlements',
        `Course type '${courseType.name}' has no ${foreign.map((e) => e.mode).join(', ')} entitlement.`,
        'entitlement_type_not_in_course_type',
      );
    }
  }
  const now = deps.clock.now();
  const fields = {
    title: input.title,
    course_type_uuid: courseType.uuid,
    org_uuid: org.uuid,
    short_description: input.shortDescription ?? null,
    status: input.status ?? 'unpublished',
  } as const;

  const existing = await getCourseByKey(trx, input.key);
  let uuid: string;
  let outcome: UpsertOutcome;
  if (!existing) {
    const row = await insertCourse(trx, {
      uuid: input.uuid ?? deps.ids.uuid(),
      key: input.key,
      key_for_reruns: null,
      number,
      full_description: null,
      product_source: null,
      reviewed_once: REVIEWED.includes(fields.status),
      ...fields,
      now,
    });
    if (!row)
      throw ValidationFailed.field(
        'key',
        `A course with key [${input.key}] already exists.`,
        'duplicate_course_key',
      );
    uuid = row.uuid;
    outcome = 'created';
  } else {
    const course = (await lockCourse(trx, existing.uuid))!;
    uuid = course.uuid;
    const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => course[k] !== fields[k]);
    if (changed) {
      await updateCourse(
        trx,
        uuid,
        { ...fields, reviewed_once: course.reviewed_once || REVIEWED.includes(fields.status) },
        now,
      );
    }
    outcome = changed ? 'updated' : 'unchanged';
  }

  if (entitlements) {
    const current = outcome === 'created' ? [] : await entitlementsOfCourses(trx, [uuid]);
    const same =
      current.length === entitlements.length &&
      entitlements.every((e) =>
        current.some(
          (c) => c.mode === e.mode && c.price_cents === e.priceCents && c.currency === (e.currency ?? 'USD'),
        ),
      );
    if (!same) {
      for (const e of entitlements) {
        await upsertEntitlement(trx, {
          uuid: deps.ids.uuid(),
          course_uuid: uuid,
          mode: e.mode,
          price_cents: e.priceCents,
          currency: e.currency ?? 'USD',
          now,
        });
      }
      await deleteEntitlementsExcept(
        trx,
        uuid,
        entitlements.map((e) => e.mode),
      );
      if (outcome === 'unchanged') outcome = 'updated';
    }
  }
  return { outcome, uuid };
}
