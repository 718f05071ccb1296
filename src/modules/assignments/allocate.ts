import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { BusinessRule, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { type CommerceFacts, commerceFacts } from '../catalog/index.js';
import {
  catalogContains,
  getEnterpriseCustomer,
  type LinkMode,
  linkableLearners,
  linkLearnersByEmail,
  linkModeOf,
} from '../enterprise/index.js';
import { getBalances, spendByPolicy } from '../ledger/index.js';
import { sendEmails } from '../notifications/index.js';
import { getSubsidyRow, isSubsidyActive, type SubsidyRow } from '../subsidy/index.js';
import { requireAssignmentAdmin } from './access.js';
import * as actions from './actions.repository.js';
import { planAllocation } from './allocation-plan.js';
import * as assignments from './assignments.repository.js';
import * as configurations from './configurations.repository.js';
import { emailActionRef, pendingEmailAction } from './email-outcomes.js';
import { assignedEmail } from './emails.js';
import { type ViewFacts, viewFacts } from './facts.js';
import { MAX_EMAILS_PER_ALLOCATION } from './limits.js';
import { type AssignmentPolicy, policies } from './policies.js';
import { recordDone } from './record-action.js';
import { exceptionRefusal, refusal } from './refusals.js';
import type { ActionRow, AssignmentRow } from './schema.js';
import { type AssignmentView, assignmentView } from './views.js';

export interface AllocateInput {
  policyUuid: string;
  learnerEmails: string[];
  contentKey: string;
  contentPriceCents: number;
  /** The acting admin, recorded on new assignments: the caller from the token, never a body field. */
  adminLmsUserId: number | null;
  /**
   * Learners the caller vouches for, by email (a learner credit request's own learner). Every
   * other email's lms_user_id is recorded only when the membership rule links it (enterprise
   * link-by-email.ts); otherwise it stays null until the person signs in and accepts.
   */
  vouched?: Array<{ email: string; lmsUserId: number }>;
}

export interface AllocateOptions {
  /** Link the learners (membership or invitation) and email them; browse & request does neither. */
  announce: boolean;
  linkMode: LinkMode;
}

export interface AllocateResult {
  updated: AssignmentView[];
  created: AssignmentView[];
  no_change: AssignmentView[];
}

/** The accepted interval around the catalog price, in basis points of it (0.95 and 1.05, inclusive). */
export const PRICE_BOUNDS = { lowerBasisPoints: 9_500, upperBasisPoints: 10_500 };

/** Emails without case-insensitive repeats, keeping the first spelling and order. */
export function dedupeEmails(emails: string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const k = e.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function validatePrice(policyUuid: string, key: string, requested: number, canonical: number | null): void {
  if (canonical === null) {
    throw exceptionRefusal(
      'PriceValidationError',
      policyUuid,
      `Could not determine price for content_key: ${key}`,
    );
  }
  // Integer arithmetic: 0.95 × 1000 must be exactly 950.
  const scaled = requested * 10_000;
  if (
    scaled < canonical * PRICE_BOUNDS.lowerBasisPoints ||
    scaled > canonical * PRICE_BOUNDS.upperBasisPoints
  ) {
    throw exceptionRefusal(
      'PriceValidationError',
      policyUuid,
      `Requested price ${requested} for ${key} outside of acceptable interval on canonical course price of ${canonical}.`,
    );
  }
}

/** What allocation reads before taking the lock (catalog and learner facts do not depend on it). */
interface Prefetched {
  facts: CommerceFacts | null;
  inCatalog: boolean;
  lmsIdByEmail: Map<string, number>;
  organization: string;
}

async function prefetch(
  ctx: AppContext,
  db: Executor,
  policy: AssignmentPolicy,
  input: AllocateInput,
  linkMode: LinkMode,
) {
  const key = input.contentKey;
  const [factsByKey, contains, known, customer] = await Promise.all([
    commerceFacts(ctx, db, [key]),
    catalogContains(db, policy.catalog_uuid, [key]),
    linkableLearners(db, policy.enterprise_customer_uuid, input.learnerEmails, linkMode),
    getEnterpriseCustomer(db, policy.enterprise_customer_uuid),
  ]);
  const lmsIdByEmail = new Map<string, number>();
  for (const l of known) if (l.email) lmsIdByEmail.set(l.email.toLowerCase(), l.lms_user_id);
  for (const v of input.vouched ?? []) lmsIdByEmail.set(v.email.toLowerCase(), v.lmsUserId);
  return {
    facts: factsByKey.get(key) ?? null,
    inCatalog: contains[key] === true,
    lmsIdByEmail,
    organization: customer?.name ?? 'Your organization',
  } satisfies Prefetched;
}

/**
 * Assigns content to learners by email through an assigned-credit policy. One
 * transaction that locks the policy row first — the lock redemptions take — so allocations and
 * redemptions through the policy never together pass its limit; a bounded number of statements
 * whatever the number of learners (one upsert of the rows, one insert of actions, one of emails).
 */
export async function allocate(
  ctx: AppContext,
  actor: Principal,
  input: AllocateInput,
): Promise<AllocateResult> {
  const db = ctx.db.kysely;
  const found = await policies().get(db, input.policyUuid);
  if (!found) throw new NotFound(`No subsidy access policy ${input.policyUuid}.`, 'policy_not_found');
  requireAssignmentAdmin(actor, found.enterprise_customer_uuid);
  const deduped = { ...input, learnerEmails: dedupeEmails(input.learnerEmails) };
  if (deduped.learnerEmails.length > MAX_EMAILS_PER_ALLOCATION) {
    throw new BusinessRule(
      'too_many_learners',
      `At most ${MAX_EMAILS_PER_ALLOCATION} learner emails per allocation (got ${deduped.learnerEmails.length}); split the list.`,
      { max: MAX_EMAILS_PER_ALLOCATION },
    );
  }
  const options: AllocateOptions = { announce: true, linkMode: linkModeOf(actor) };
  const known = await prefetch(ctx, db, found, deduped, options.linkMode);
  return ctx.db.transaction(async (trx) => {
    const policy = await policies().lock(trx, found.uuid);
    return allocateLocked(ctx, trx, policy, deduped, known, options);
  });
}

/**
 * Allocation inside the caller's transaction, which has locked `policy` (browse & request
 * approves several requests under one lock). Checks run before any write, so a refusal leaves the
 * transaction usable. `announce: false` skips the learner link and the assignment email (an
 * approved request has its own email, and its learner, who asked, is vouched for by id).
 */
export async function allocateInTransaction(
  ctx: AppContext,
  trx: Executor,
  policy: AssignmentPolicy,
  input: AllocateInput,
  options: AllocateOptions,
): Promise<AllocateResult> {
  const deduped = { ...input, learnerEmails: dedupeEmails(input.learnerEmails) };
  const known = await prefetch(ctx, trx, policy, deduped, options.linkMode);
  return allocateLocked(ctx, trx, policy, deduped, known, options);
}

/** Allocation under the policy lock: check, plan (allocation-plan.ts), check the cost, write, announce. */
async function allocateLocked(
  ctx: AppContext,
  trx: Executor,
  policy: AssignmentPolicy,
  input: AllocateInput,
  known: Prefetched,
  options: AllocateOptions,
): Promise<AllocateResult> {
  const { configUuid, facts, subsidy } = await checkAllocatable(ctx, trx, policy, input, known);
  const now = ctx.clock.now();
  const existing = await assignments.existingForAllocation(trx, {
    configurationUuid: configUuid,
    contentKey: input.contentKey,
    lowerEmails: input.learnerEmails.map((e) => e.toLowerCase()),
    lmsUserIds: [...new Set(known.lmsIdByEmail.values())],
  });
  const plan = planAllocation({
    emails: input.learnerEmails,
    contentKey: input.contentKey,
    priceCents: input.contentPriceCents,
    configurationUuid: configUuid,
    adminLmsUserId: input.adminLmsUserId,
    facts,
    existing,
    lmsIdByEmail: known.lmsIdByEmail,
    newUuid: () => ctx.ids.uuid(),
    batchId: ctx.ids.uuid(),
    now,
  });
  await checkRoom(trx, policy, subsidy, configUuid, input.contentPriceCents * plan.charged.size);

  const written = await assignments.upsertMany(trx, plan.writes);
  const all = [...written, ...plan.noChange];
  const view = await viewFacts(ctx, trx, all, subsidy.expiration_datetime);
  if (options.announce) {
    const linkActions = await linkLearners(ctx, trx, policy.enterprise_customer_uuid, written, options);
    for (const a of linkActions) view.actions.get(a.assignment_uuid)?.push(a);
    const notified = written.filter((r) => plan.notify.has(r.uuid));
    const emailActions = await emailAssigned(ctx, trx, notified, {
      organization: known.organization,
      view,
      now,
    });
    for (const a of emailActions) view.actions.get(a.assignment_uuid)?.push(a);
  }

  const toView = (r: AssignmentRow) => assignmentView(r, view);
  return {
    updated: written.filter((r) => !plan.created.has(r.uuid)).map(toView),
    created: written.filter((r) => plan.created.has(r.uuid)).map(toView),
    no_change: plan.noChange.map(toView),
  };
}

/** The refusals that come before anything is decided: the policy, the price, the catalog, the subsidy, the configuration. */
async function checkAllocatable(
  ctx: AppContext,
  trx: Executor,
  policy: AssignmentPolicy,
  input: AllocateInput,
  known: Prefetched,
): Promise<{ configUuid: string; facts: CommerceFacts; subsidy: SubsidyRow }> {
  const { facts } = known;
  const configUuid = policy.assignment_configuration_uuid;
  if (!configUuid) {
    throw exceptionRefusal(
      'AllocationException',
      policy.uuid,
      `Policy ${policy.uuid} is not an assigned learner credit policy with an assignment configuration.`,
    );
  }
  if (facts) validatePrice(policy.uuid, input.contentKey, input.contentPriceCents, facts.priceCents);
  if (!policy.active || policy.retired) throw await refusal(trx, policy, 'policy_expired');
  if (!facts || !known.inCatalog) throw await refusal(trx, policy, 'content_not_in_catalog');
  const subsidy = await getSubsidyRow(trx, policy.subsidy_uuid);
  if (!subsidy || !isSubsidyActive(subsidy, ctx.clock.now()))
    throw await refusal(trx, policy, 'subsidy_expired');
  const config = await configurations.getById(trx, configUuid);
  if (!config?.active) {
    throw exceptionRefusal(
      'AllocationException',
      policy.uuid,
      `Assignment configuration ${configUuid} is not active.`,
    );
  }
  return { configUuid, facts, subsidy };
}

/**
 * Refuses a cost the subsidy or the policy cannot hold: what is already allocated (still in
 * `allocated` state) plus the new cost, against the subsidy's balance and the policy's limit left.
 * Reaching the limit exactly is allowed.
 */
async function checkRoom(
  trx: Executor,
  policy: AssignmentPolicy,
  subsidy: SubsidyRow,
  configUuid: string,
  cost: number,
): Promise<void> {
  if (cost <= 0) return;
  // One connection runs them one after another; nothing here depends on another's answer.
  const [balances, totals, allocatedSums] = await Promise.all([
    getBalances(trx, subsidy.ledger_uuid),
    spendByPolicy(trx, subsidy.ledger_uuid, policy.uuid),
    assignments.allocatedSums(trx, [configUuid]),
  ]);
  const allocated = allocatedSums.get(configUuid) ?? 0;
  if (allocated + cost > balances.balance) throw await refusal(trx, policy, 'not_enough_value_in_subsidy');
  if (policy.spend_limit !== null && totals.spentCents + allocated + cost > policy.spend_limit) {
    throw await refusal(trx, policy, 'policy_spend_limit_reached');
  }
}

/**
 * The learner-link step (the reference's pending enterprise learner): by the membership rule, a
 * learner written to is linked to the enterprise when the caller may link them, and gets a pending
 * membership until they sign in otherwise. It is local and in this transaction, so it cannot fail
 * on its own the way the reference's LMS call can: the `learner_linked` action is complete when
 * the allocation commits.
 */
async function linkLearners(
  ctx: AppContext,
  trx: Executor,
  customerUuid: string,
  rows: AssignmentRow[],
  options: AllocateOptions,
): Promise<ActionRow[]> {
  if (rows.length === 0) return [];
  await linkLearnersByEmail(
    ctx,
    trx,
    customerUuid,
    rows.map((r) => r.learner_email),
    options.linkMode,
  );
  const linked = await recordDone(ctx, trx, rows, 'learner_linked');
  return linked;
}

/** The new-assignment email and the `notified` action that waits for its delivery. */
async function emailAssigned(
  ctx: AppContext,
  trx: Executor,
  rows: AssignmentRow[],
  what: { organization: string; view: ViewFacts; now: Date },
): Promise<ActionRow[]> {
  const pending = rows.map((r) => ({
    row: r,
    action: pendingEmailAction(ctx, r.uuid, 'notified', what.now),
  }));
  await sendEmails(
    ctx,
    trx,
    assignedEmail,
    pending.map(({ row: r, action }) => ({
      to: r.learner_email,
      idempotencyKey: emailActionRef(action.uuid),
      ref: emailActionRef(action.uuid),
      context: {
        organization: what.organization,
        courseTitle: r.content_title ?? '',
        contentKey: r.content_key,
        actionRequiredBy: what.view.expirations.get(r.uuid)?.date.toISOString() ?? null,
      },
    })),
  );
  const rowsOut = pending.map((p) => p.action as ActionRow);
  await actions.insertMany(trx, rowsOut);
  return rowsOut;
}
