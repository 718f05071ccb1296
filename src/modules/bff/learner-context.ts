import type { AppContext } from '../../context.js';
import { Forbidden, NotFound } from '../../shared/errors.js';
import { canonicalUuid, hasRole, type Principal } from '../../shared/principal.js';
import {
  adminContactsOfCustomers,
  catalogUuidsOfCustomers,
  customersOfLearner,
  type EnterpriseCustomer,
  getEnterpriseCustomer,
  getEnterpriseCustomerBySlug,
} from '../enterprise/index.js';
import type { BffMessage, BffRequest, EnterpriseCustomerView, LearnerBaseResponse } from './bff.schemas.js';
import { CUSTOMER_DEFAULTS, ENTERPRISE_FEATURES } from './customer-defaults.js';

/** What every learner route starts from: the customer shown and the caller's link to it. */
export interface LearnerContext {
  base: LearnerBaseResponse;
  /** The customer the response is about; null only when there is none to show. */
  customerUuid: string;
  /** True when the caller is an active member of that customer (not staff looking in). */
  linked: boolean;
}

type AdminUsers = EnterpriseCustomerView['admin_users'];

function customerView(
  c: EnterpriseCustomer,
  catalogUuids: string[],
  adminUsers: AdminUsers,
): EnterpriseCustomerView {
  const d = CUSTOMER_DEFAULTS;
  // enterprise-access's transform_enterprise_customer: search is off only behind an IdP.
  const disableSearch = !d.enable_integrated_customer_learner_portal_search && d.identity_provider !== null;
  return {
    ...d,
    identity_providers: [],
    admin_users: adminUsers,
    active_integrations: [],
    site: { ...d.site },
    branding_configuration: { ...d.branding_configuration },
    uuid: c.uuid,
    slug: c.slug,
    name: c.name,
    active: c.active,
    auth_org_id: c.auth_org_id,
    contact_email: c.contact_email,
    country: c.country ?? '',
    enable_data_sharing_consent: c.enable_data_sharing_consent,
    enterprise_customer_catalogs: catalogUuids,
    modified: c.modified.toISOString(),
    disable_search: disableSearch,
    show_integration_warning: !disableSearch && d.active_integrations.length > 0,
  };
}

const EMPTY_SUBSIDIES: LearnerBaseResponse['enterprise_customer_user_subsidies'] = {
  subscriptions: {
    customer_agreement: null,
    subscription_licenses: [],
    subscription_licenses_by_status: { activated: [], assigned: [], revoked: [] },
    subscription_license: null,
    subscription_plan: null,
    show_expiration_notifications: false,
  },
};

const NO_ALGOLIA: BffMessage = {
  user_message: 'No secured algolia api key or catalog query mapping found',
  developer_message:
    'Campus issues no Algolia keys; each enterprise catalog is its own catalog query (mapped to itself).',
};

async function requestedCustomer(ctx: AppContext, input: BffRequest) {
  const db = ctx.db.kysely;
  if (input.enterprise_customer_uuid)
    return getEnterpriseCustomer(db, canonicalUuid(input.enterprise_customer_uuid));
  if (input.enterprise_customer_slug) return getEnterpriseCustomerBySlug(db, input.enterprise_customer_slug);
  return undefined;
}

/**
 * enterprise-access's HandlerContext for a learner route, from Campus's own tables in at most four
 * statements: the caller's memberships with their customers, the requested customer when the caller
 * is not linked to it, and those customers' catalogs.
 *
 * Campus keeps no "selected" enterprise: the active customer is the requested one when the caller
 * is linked to it, else the most recently linked, so `should_update_active_enterprise_customer_user`
 * is always false (there is nothing to update). A caller not linked to the requested customer sees
 * their active customer instead (the portal redirects there), as enterprise-access answers; staff,
 * operators and the customer's admins see it as `staff_enterprise_customer`. Refused (403) when
 * there is nothing the caller may see, or a learner names by uuid a customer they hold no role in.
 */
export async function learnerContext(
  ctx: AppContext,
  actor: Principal,
  input: BffRequest,
): Promise<LearnerContext> {
  const db = ctx.db.kysely;
  const memberships = await customersOfLearner(db, actor.lmsUserId);
  const asked = input.enterprise_customer_uuid
    ? canonicalUuid(input.enterprise_customer_uuid)
    : input.enterprise_customer_slug;
  const matches = (c: EnterpriseCustomer) => c.uuid === asked || c.slug === asked;
  const linkedTo = asked === undefined ? undefined : memberships.find((m) => matches(m.customer))?.customer;

  let staffCustomer: EnterpriseCustomer | undefined;
  if (asked !== undefined && !linkedTo) {
    const found = await requestedCustomer(ctx, input);
    if (found && hasRole(actor, ['enterprise_openedx_operator', 'enterprise_admin'], found.uuid))
      staffCustomer = found;
    else if (!found && hasRole(actor, 'enterprise_openedx_operator')) {
      throw new NotFound('No enterprise customer has this uuid or slug.', 'enterprise_customer_not_found');
    }
  }
  const active = linkedTo ?? memberships[0]?.customer;
  const shown = staffCustomer ?? active;
  const namedOutsider =
    input.enterprise_customer_uuid !== undefined &&
    !linkedTo &&
    !staffCustomer &&
    !hasRole(actor, 'enterprise_learner', canonicalUuid(input.enterprise_customer_uuid));
  if (!shown || namedOutsider) {
    throw new Forbidden('You are not a learner of this enterprise customer.', 'not_enterprise_learner');
  }

  const uuids = [
    ...new Set([...memberships.map((m) => m.customer.uuid), ...(staffCustomer ? [staffCustomer.uuid] : [])]),
  ];
  const [catalogs, admins] = await Promise.all([
    catalogUuidsOfCustomers(db, uuids),
    adminContactsOfCustomers(db, uuids),
  ]);
  // The portal's "contact your administrator" names them (edx-enterprise's admin_users).
  // Admins with an account only: an invitation not yet taken up names nobody to contact.
  const adminUsers = (uuid: string): AdminUsers =>
    (admins.get(uuid) ?? []).flatMap((a) =>
      a.lms_user_id === null ? [] : [{ email: a.email, lms_user_id: a.lms_user_id }],
    );
  const view = (c: EnterpriseCustomer) => customerView(c, catalogs.get(c.uuid) ?? [], adminUsers(c.uuid));
  const shownCatalogs = catalogs.get(shown.uuid) ?? [];
  return {
    customerUuid: shown.uuid,
    linked: !staffCustomer,
    base: {
      enterprise_customer: view(shown),
      all_linked_enterprise_customer_users: memberships.map((m) => ({
        id: actor.lmsUserId,
        enterprise_customer: view(m.customer),
        active: m.customer.uuid === active?.uuid,
      })),
      active_enterprise_customer: active ? view(active) : null,
      staff_enterprise_customer: staffCustomer ? view(staffCustomer) : null,
      should_update_active_enterprise_customer_user: false,
      catalog_uuids_to_catalog_query_uuids: Object.fromEntries(shownCatalogs.map((u) => [u, u])),
      algolia: { secured_algolia_api_key: null, valid_until: null },
      enterprise_customer_user_subsidies: EMPTY_SUBSIDIES,
      errors: [],
      warnings: [NO_ALGOLIA],
      enterprise_features: { ...ENTERPRISE_FEATURES },
    },
  };
}
