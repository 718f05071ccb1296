/**
 * The enterprise-customer fields the learner portal reads that Campus does not model, with the
 * values edx-enterprise gives a new customer (its model defaults). One place, so that a field
 * Campus starts to model is removed from here and read from its row instead.
 */
export const CUSTOMER_DEFAULTS = {
  site: { domain: 'localhost', name: 'Campus' },
  branding_configuration: {
    logo: null,
    primary_color: '#2D494E',
    secondary_color: '#F2F0EF',
    tertiary_color: '#D23228',
  },
  identity_provider: null,
  identity_providers: [],
  enforce_data_sharing_consent: 'at_enrollment',
  disable_expiry_messaging_for_learner_credit: false,
  enable_audit_enrollment: false,
  replace_sensitive_sso_username: false,
  enable_portal_code_management_screen: false,
  sync_learner_profile_data: false,
  enable_audit_data_reporting: false,
  /** Campus serves every customer's learners: the portal is on (edx-enterprise's default too). */
  enable_learner_portal: true,
  enable_learner_portal_offers: false,
  enable_portal_learner_credit_management_screen: false,
  enable_executive_education_2U_fulfillment: false,
  enable_portal_reporting_config_screen: false,
  enable_portal_saml_configuration_screen: false,
  enable_portal_subscription_management_screen: false,
  hide_course_original_price: false,
  enable_analytics_screen: true,
  enable_integrated_customer_learner_portal_search: true,
  enable_generation_of_api_credentials: false,
  enable_portal_lms_configurations_screen: false,
  sender_alias: null,
  reply_to: null,
  enterprise_notification_banner: null,
  hide_labor_market_data: false,
  enable_universal_link: false,
  enable_browse_and_request: false,
  enable_learner_portal_sidebar_message: false,
  learner_portal_sidebar_content: null,
  enable_pathways: true,
  enable_programs: true,
  enable_demo_data_for_analytics_and_lpr: false,
  enable_academies: false,
  enable_one_academy: false,
  active_integrations: [],
  show_videos_in_learner_portal_search_results: false,
  default_language: null,
  enable_slug_login: false,
  enable_learner_credit_message_box: false,
} as const;

/** The waffle flags the LMS sends as `enterprise_features`: Campus has none on. */
export const ENTERPRISE_FEATURES: Record<string, boolean> = {};

/** Enrollment fields the LMS knows and Campus does not keep. */
export const ENROLLMENT_DEFAULTS = {
  has_emails_enabled: false,
  is_revoked: false,
  micromasters_title: null,
  resume_course_run_url: null,
  link_to_certificate: null,
  notifications: [],
} as const;

/**
 * A run's course home in the learning app (LEARNING_MFE_URL), where `courseware_url` points too:
 * absolute, as the LMS sends it, since the portal links to it as it is.
 */
export function courseHomeUrl(learningMfeUrl: string, runKey: string): string {
  return `${learningMfeUrl}/course/${runKey}/home`;
}
