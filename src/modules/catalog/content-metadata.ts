import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { type CommerceFacts, commerceFacts } from './commerce-facts.js';
import { getCoursesByKeys } from './courses.repository.js';
import { getOrganizationsByUuids } from './organizations.repository.js';
import { allCourseTypes } from './types.repository.js';

/** A course's partner as the portals' cards show it (enterprise-catalog's `partners`). */
export interface CoursePartner {
  name: string;
  /** Campus keeps no organization logos yet. */
  logo_image_url: string | null;
}

/** What a dashboard card shows about a content key: its run's dates and price, the course type and partners. */
export interface ContentMetadata extends CommerceFacts {
  /** The course type slug, e.g. `verified-audit`. */
  courseType: string;
  partners: CoursePartner[];
}

/**
 * Card metadata for many content keys (run or course keys) in a fixed number of queries, whatever
 * their number: commerce facts, then the courses, their organizations and the course types.
 * Null for a key the catalog does not know.
 */
export async function contentMetadata(
  ctx: AppContext,
  db: Executor,
  contentKeys: string[],
): Promise<Map<string, ContentMetadata | null>> {
  const facts = await commerceFacts(ctx, db, contentKeys);
  const known = [...facts.values()].filter((f): f is CommerceFacts => f !== null);
  const partners = await coursePartners(db, [...new Set(known.map((f) => f.courseKey))]);
  const out = new Map<string, ContentMetadata | null>();
  for (const [key, f] of facts) {
    const course = f ? partners.get(f.courseKey) : undefined;
    out.set(key, f && course ? { ...f, courseType: course.courseType, partners: course.partners } : null);
  }
  return out;
}

/** The partners (owning organizations) and type slug of many courses by key, in three queries. */
export async function coursePartners(
  db: Executor,
  courseKeys: string[],
): Promise<Map<string, { courseType: string; partners: CoursePartner[] }>> {
  const courses = await getCoursesByKeys(db, [...new Set(courseKeys)]);
  if (courses.length === 0) return new Map();
  const [orgs, types] = await Promise.all([
    getOrganizationsByUuids(db, [...new Set(courses.map((c) => c.org_uuid))]),
    allCourseTypes(db),
  ]);
  return new Map(
    courses.map((c) => {
      const org = orgs.find((o) => o.uuid === c.org_uuid);
      return [
        c.key,
        {
          courseType: types.find((t) => t.uuid === c.course_type_uuid)?.slug ?? '',
          partners: org ? [{ name: org.name, logo_image_url: null }] : [],
        },
      ];
    }),
  );
}
