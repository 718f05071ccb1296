import { ValidationFailed } from '../../shared/errors.js';
import { checkPolicyFieldConstraints } from '../access/index.js';
import { validateContentFilter } from '../enterprise/index.js';
import type { ProvisionCustomerInput } from './provision-customer.workflow.js';
import type { ProvisioningBody } from './provisioning.schemas.js';

type Errors = Record<string, string[]>;

function collect(errors: Errors, prefix: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err;
    for (const [field, messages] of Object.entries(err.errors)) errors[`${prefix}${field}`] = messages;
  }
}

/**
 * The checks that span fields, run before any step so that a bad request is a 400 and leaves
 * nothing behind: dates in order, a valid content filter, and policies that their own create
 * would accept — per-type limits, distinct names, no two active twins
 * (docs/decisions/0004-idempotent-policy-create.md), and active spend limits within the starting
 * balance (docs/decisions/0001-spend-limits-within-deposits.md).
 */
function check(body: ProvisioningBody): void {
  const errors: Errors = {};
  const s = body.subsidy;
  if (new Date(s.active_datetime) > new Date(s.expiration_datetime)) {
    errors['subsidy.expiration_datetime'] = ['must not be before active_datetime'];
  }
  if (body.enterprise_catalog) {
    const filter = body.enterprise_catalog.content_filter;
    collect(errors, 'enterprise_catalog.', () => validateContentFilter(filter));
  }
  const names = new Set<string>();
  const activeKinds = new Set<string>();
  let activeLimits = 0;
  body.policies.forEach((p, i) => {
    const at = `policies.${i}.`;
    collect(errors, at, () =>
      checkPolicyFieldConstraints({
        uuid: `(new ${i})`,
        policy_type: p.policy_type,
        spend_limit: p.spend_limit ?? null,
        per_learner_enrollment_limit: p.per_learner_enrollment_limit ?? null,
        per_learner_spend_limit: p.per_learner_spend_limit ?? null,
      }),
    );
    if (names.has(p.display_name))
      errors[`${at}display_name`] = ['Another policy of the request has this name.'];
    names.add(p.display_name);
    if (!p.active) return;
    const kind = `${p.policy_type}/${p.access_method}`;
    if (activeKinds.has(kind)) {
      errors[`${at}policy_type`] = ['Another active policy of the request has this type and access method.'];
    }
    activeKinds.add(kind);
    activeLimits += p.spend_limit ?? 0;
  });
  if (activeLimits > s.starting_balance_cents) {
    errors.policies = ['The spend limits of the active policies add up to more than the starting balance.'];
  }
  if (Object.keys(errors).length > 0) {
    throw new ValidationFailed('The provisioning request is invalid.', errors);
  }
}

/** Checks the request and turns it into the workflow's input, defaults filled in. */
export function provisioningInput(body: ProvisioningBody): ProvisionCustomerInput {
  check(body);
  const customer = body.enterprise_customer;
  return {
    enterprise_customer: customer,
    pending_admins: [...new Set(body.pending_admins.map((a) => a.user_email))],
    // No catalog asked for: one over all the content, as the reference's "All open courses".
    enterprise_catalog: body.enterprise_catalog ?? { title: `${customer.name} Catalog`, content_filter: {} },
    subsidy: { ...body.subsidy, reference_id: `provisioning:${customer.slug}` },
    policies: body.policies.map((p) => ({
      ...p,
      description: p.description ?? null,
      late_redemption_allowed_until: p.late_redemption_allowed_until ?? null,
    })),
  };
}
