import { z } from 'zod';

/**
 * The learner portal BFF's request and responses, as enterprise-access's bffs/serializers.py has
 * them. The portal sends `{enterprise_customer_slug}`; a uuid may be sent instead (it wins).
 */
export const bffRequest = z
  .object({
    enterprise_customer_uuid: z.uuid().optional(),
    enterprise_customer_slug: z.string().min(1).max(255).optional(),
  })
  .strict();
export type BffRequest = z.infer<typeof bffRequest>;

const message = z.object({ developer_message: z.string(), user_message: z.string() });
export type BffMessage = z.infer<typeof message>;

export const enterpriseCustomerView = z.object({
  uuid: z.uuid(),
  slug: z.string(),
  name: z.string(),
  active: z.boolean(),
  auth_org_id: z.string().nullable(),
  site: z.object({ domain: z.string(), name: z.string() }),
  branding_configuration: z.object({
    logo: z.string().nullable(),
    primary_color: z.string(),
    secondary_color: z.string(),
    tertiary_color: z.string(),
  }),
  identity_provider: z.string().nullable(),
  identity_providers: z.array(z.object({ provider_id: z.string(), default_provider: z.boolean() })),
  enable_data_sharing_consent: z.boolean(),
  enforce_data_sharing_consent: z.string(),
  disable_expiry_messaging_for_learner_credit: z.boolean(),
  enable_audit_enrollment: z.boolean(),
  replace_sensitive_sso_username: z.boolean(),
  enable_portal_code_management_screen: z.boolean(),
  sync_learner_profile_data: z.boolean(),
  enable_audit_data_reporting: z.boolean(),
  enable_learner_portal: z.boolean(),
  enable_learner_portal_offers: z.boolean(),
  enable_portal_learner_credit_management_screen: z.boolean(),
  enable_executive_education_2U_fulfillment: z.boolean(),
  enable_portal_reporting_config_screen: z.boolean(),
  enable_portal_saml_configuration_screen: z.boolean(),
  contact_email: z.string().nullable(),
  enable_portal_subscription_management_screen: z.boolean(),
  hide_course_original_price: z.boolean(),
  enable_analytics_screen: z.boolean(),
  enable_integrated_customer_learner_portal_search: z.boolean(),
  enable_generation_of_api_credentials: z.boolean(),
  enable_portal_lms_configurations_screen: z.boolean(),
  sender_alias: z.string().nullable(),
  enterprise_customer_catalogs: z.array(z.uuid()),
  reply_to: z.string().nullable(),
  enterprise_notification_banner: z
    .object({ title: z.string().nullable(), text: z.string().nullable() })
    .nullable(),
  hide_labor_market_data: z.boolean(),
  modified: z.string(),
  enable_universal_link: z.boolean(),
  enable_browse_and_request: z.boolean(),
  admin_users: z.array(z.object({ email: z.string().nullable(), lms_user_id: z.number().int() })),
  enable_learner_portal_sidebar_message: z.boolean(),
  learner_portal_sidebar_content: z.string().nullable(),
  enable_pathways: z.boolean(),
  enable_programs: z.boolean(),
  enable_demo_data_for_analytics_and_lpr: z.boolean(),
  enable_academies: z.boolean(),
  enable_one_academy: z.boolean(),
  active_integrations: z.array(
    z.object({
      channel_code: z.string(),
      created: z.string(),
      modified: z.string(),
      display_name: z.string(),
      active: z.boolean(),
    }),
  ),
  show_videos_in_learner_portal_search_results: z.boolean(),
  default_language: z.string().nullable(),
  country: z.string(),
  enable_slug_login: z.boolean(),
  disable_search: z.boolean(),
  show_integration_warning: z.boolean(),
  enable_learner_credit_message_box: z.boolean(),
});
export type EnterpriseCustomerView = z.infer<typeof enterpriseCustomerView>;

const enterpriseCustomerUser = z.object({
  /** Campus keeps no enterprise-customer-user id: the learner's lms_user_id stands for it. */
  id: z.number().int(),
  enterprise_customer: enterpriseCustomerView,
  active: z.boolean(),
});

const subscriptionLicensesByStatus = z.object({
  activated: z.array(z.never()),
  assigned: z.array(z.never()),
  revoked: z.array(z.never()),
});

/** Campus has no subscriptions: the reference's answer for a learner without any. */
const subsidies = z.object({
  subscriptions: z.object({
    customer_agreement: z.null(),
    subscription_licenses: z.array(z.never()),
    subscription_licenses_by_status: subscriptionLicensesByStatus,
    subscription_license: z.null(),
    subscription_plan: z.null(),
    show_expiration_notifications: z.boolean(),
  }),
});

export const learnerBaseResponse = z.object({
  enterprise_customer: enterpriseCustomerView.nullable(),
  all_linked_enterprise_customer_users: z.array(enterpriseCustomerUser),
  active_enterprise_customer: enterpriseCustomerView.nullable(),
  staff_enterprise_customer: enterpriseCustomerView.nullable(),
  should_update_active_enterprise_customer_user: z.boolean(),
  catalog_uuids_to_catalog_query_uuids: z.record(z.string(), z.uuid()),
  algolia: z.object({ secured_algolia_api_key: z.string().nullable(), valid_until: z.string().nullable() }),
  enterprise_customer_user_subsidies: subsidies,
  errors: z.array(message),
  warnings: z.array(message),
  enterprise_features: z.record(z.string(), z.boolean()),
});
export type LearnerBaseResponse = z.infer<typeof learnerBaseResponse>;

export const enrollmentView = z.object({
  can_unenroll: z.boolean(),
  course_run_id: z.string(),
  course_run_status: z.enum(['in_progress', 'upcoming', 'completed', 'saved_for_later']),
  course_key: z.string(),
  course_type: z.string(),
  created: z.string(),
  end_date: z.string().nullable(),
  enroll_by: z.string().nullable(),
  has_emails_enabled: z.boolean(),
  is_enrollment_active: z.boolean(),
  is_revoked: z.boolean(),
  link_to_course: z.string(),
  link_to_certificate: z.string().nullable(),
  micromasters_title: z.string().nullable(),
  mode: z.string(),
  notifications: z.array(z.object({ name: z.string(), date: z.string(), url: z.string() })),
  org_name: z.string(),
  pacing: z.string(),
  product_source: z.string(),
  resume_course_run_url: z.string().nullable(),
  start_date: z.string().nullable(),
  title: z.string(),
});
export type EnrollmentView = z.infer<typeof enrollmentView>;

export const dashboardResponse = learnerBaseResponse.extend({
  enterprise_course_enrollments: z.array(enrollmentView),
  all_enrollments_by_status: z.object({
    in_progress: z.array(enrollmentView),
    upcoming: z.array(enrollmentView),
    completed: z.array(enrollmentView),
    saved_for_later: z.array(enrollmentView),
  }),
  has_bnr_enabled_policy: z.boolean(),
});
export type DashboardResponse = z.infer<typeof dashboardResponse>;
