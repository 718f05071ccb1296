import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { type ContentMetadata, commerceFacts, contentMetadata } from '../catalog/index.js';
import { getEnterpriseCustomer } from '../enterprise/index.js';
import { getSubsidyRow } from '../subsidy/index.js';
import * as actions from './actions.repository.js';
import { type Expiration, earliestPossibleExpiration } from './expiration.js';
import { type AssignmentPolicy, policies } from './policies.js';
import type { ActionRow, AssignmentRow, ConfigurationRow } from './schema.js';

/** What the views and emails of one configuration's assignments need from other modules. */
export interface ConfigurationFacts {
  policy: AssignmentPolicy | null;
  subsidyExpiration: Date | null;
  organization: string;
}

export async function configurationFacts(db: Executor, c: ConfigurationRow): Promise<ConfigurationFacts> {
  const [policy, customer] = await Promise.all([
    policies().ofConfiguration(db, c.uuid),
    getEnterpriseCustomer(db, c.enterprise_customer_uuid),
  ]);
  const subsidy = policy ? await getSubsidyRow(db, policy.subsidy_uuid) : undefined;
  return {
    policy: policy ?? null,
    subsidyExpiration: subsidy?.expiration_datetime ?? null,
    organization: customer?.name ?? 'Your organization',
  };
}

/** The run whose enroll-by date bounds an assignment: the preferred run, else the content itself. */
export const deadlineKey = (a: AssignmentRow) => a.preferred_course_run_key ?? a.content_key;

/** Enroll-by dates of the assignments' preferred runs, in one catalog lookup. */
export async function enrollByDates(
  ctx: AppContext,
  db: Executor,
  rows: AssignmentRow[],
): Promise<Map<string, Date | null>> {
  const facts = await commerceFacts(ctx, db, [...new Set(rows.map(deadlineKey))]);
  return new Map([...facts].map(([k, f]) => [k, f?.enrollBy ?? null]));
}

/**
 * The card metadata (dates, price, course type, partners) of the assignments' preferred runs, keyed
 * by `deadlineKey`, in one catalog lookup whatever their number. Learners' views show it.
 */
export async function contentOfAssignments(
  ctx: AppContext,
  db: Executor,
  rows: AssignmentRow[],
): Promise<Map<string, ContentMetadata | null>> {
  return contentMetadata(ctx, db, [...new Set(rows.map(deadlineKey))]);
}

export interface ViewFacts {
  actions: Map<string, ActionRow[]>;
  expirations: Map<string, Expiration>;
  /** Present for learners' views: card metadata by `deadlineKey`. */
  content?: Map<string, ContentMetadata | null>;
}

/**
 * Actions and earliest expirations of many assignments: two catalog/action reads whatever their
 * number. With `content` (from contentOfAssignments) the enroll-by dates come from it, no lookup.
 */
export async function viewFacts(
  ctx: AppContext,
  db: Executor,
  rows: AssignmentRow[],
  subsidyExpiration: Date | null,
  content?: Map<string, ContentMetadata | null>,
): Promise<ViewFacts> {
  const [actionRows, enrollBy] = await Promise.all([
    actions.ofAssignments(
      db,
      rows.map((r) => r.uuid),
    ),
    content ? new Map([...content].map(([k, f]) => [k, f?.enrollBy ?? null])) : enrollByDates(ctx, db, rows),
  ]);
  const byAssignment = new Map<string, ActionRow[]>(rows.map((r) => [r.uuid, []]));
  for (const a of actionRows) byAssignment.get(a.assignment_uuid)?.push(a);
  const expirations = new Map(
    rows.map((r) => [
      r.uuid,
      earliestPossibleExpiration(r, { subsidyExpiration, enrollBy: enrollBy.get(deadlineKey(r)) ?? null }),
    ]),
  );
  return { actions: byAssignment, expirations, content };
}
