import { z } from 'zod';

/** The admin portal sends all three (enterprise-access requires them). */
export const learnerProfileQuery = z.object({
  user_email: z.email().max(320),
  lms_user_id: z.coerce.number().int().positive().max(2_147_483_647),
  enterprise_customer_uuid: z.uuid(),
});

/** One enrollment as the LMS's enterprise enrollment admin endpoint shows it (what the card reads). */
const profileEnrollment = z.object({
  uuid: z.uuid(),
  course_id: z.string(),
  course_run_id: z.string(),
  course_key: z.string(),
  display_name: z.string(),
  org_name: z.string(),
  course_type: z.string().nullable(),
  course_run_status: z.enum(['in_progress', 'upcoming', 'completed', 'saved_for_later']),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  enroll_by: z.string().nullable(),
  pacing: z.string().nullable(),
  mode: z.string(),
  product_source: z.string().nullable(),
  is_enrollment_active: z.boolean(),
  is_revoked: z.boolean(),
  saved_for_later: z.boolean(),
  unenrolled: z.boolean(),
  unenrolled_at: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

/** One group membership as the LMS's flex membership endpoint shows it. */
const profileGroupMembership = z.object({
  lms_user_id: z.number().int(),
  enterprise_customer_user_id: z.number().int().nullable(),
  pending_enterprise_customer_user_id: z.number().int().nullable(),
  member_details: z.object({ user_email: z.string().nullable(), user_name: z.string().nullable() }),
  recent_action: z.string(),
  status: z.string(),
  activated_at: z.string().nullable(),
  enrollments: z.number().int(),
  group_name: z.string(),
  group_uuid: z.uuid(),
});

export const learnerProfileView = z.object({
  /** Subscription licenses: Campus has none. */
  subscriptions: z.array(z.record(z.string(), z.unknown())),
  group_memberships: z.array(profileGroupMembership),
  enrollments: z.object({
    in_progress: z.array(profileEnrollment),
    upcoming: z.array(profileEnrollment),
    completed: z.array(profileEnrollment),
    saved_for_later: z.array(profileEnrollment),
  }),
});
export type LearnerProfileView = z.infer<typeof learnerProfileView>;
export type ProfileEnrollment = z.infer<typeof profileEnrollment>;
