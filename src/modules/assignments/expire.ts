import type { AppContext } from '../../context.js';
import { ValidationFailed } from '../../shared/errors.js';
import * as assignments from './assignments.repository.js';
import * as configurations from './configurations.repository.js';
import { expiredEmail } from './emails.js';
import { type Expiration, earliestPossibleExpiration } from './expiration.js';
import { type ConfigurationFacts, configurationFacts, deadlineKey, enrollByDates } from './facts.js';
import { emailAndRecord } from './notify.js';
import { policies } from './policies.js';
import { recordDone } from './record-action.js';
import type { AssignmentRow } from './schema.js';
import { announceTransition } from './transitions.js';

export interface ExpiryReport {
  /** Allocated assignments of active configurations looked at. */
  checked: number;
  /** Those whose earliest possible expiration is at or before as-of. */
  due: number;
  /** Those expired now (0 on a dry run). */
  expired: number;
  /** Those whose email was scrubbed because the 90-day timeout expired them (0 on a dry run). */
  scrubbed: number;
  dry_run: boolean;
  as_of: string;
}

export const EXPIRY_BATCH_SIZE = 200;

/** `retired_user<16 hex>@retired.invalid`: unique, and says nothing about the learner. */
const retiredEmail = (ids: AppContext['ids']) =>
  `retired_user${ids.uuid().replace(/-/g, '').slice(0, 16)}@retired.invalid`;

/**
 * Expires allocated assignments whose earliest possible expiration (subsidy expiration, the
 * preferred run's enroll-by date, allocated_at + 90 days) is at or before `asOf` (default now):
 * state expired, expired_at now, an email to the learner and an `expired` action; the allocated
 * amount is released because only allocated rows count. Only when the 90-day timeout was the
 * reason is the email scrubbed afterwards (the reference's PII clearing, done in the same step).
 *
 * Idempotent: expired rows are no longer allocated. Pages of `batchSize` in creation order; per
 * page one page read and one catalog read, plus per configuration in the page one transaction of
 * a fixed number of statements (policy lock, row locks, update, outbox, actions, scrub) and, the
 * first time a configuration is seen, its facts (cached for the run).
 */
export async function expireAssignments(
  ctx: AppContext,
  options: {
    asOf?: Date;
    dryRun?: boolean;
    batchSize?: number;
    /** After each page: assignments looked at so far, of how many allocated at the start. */
    onProgress?: (checked: number, total: number) => void;
  } = {},
): Promise<ExpiryReport> {
  const db = ctx.db.kysely;
  const asOf = options.asOf ?? ctx.clock.now();
  // Expiring by a future date would take credit away from learners before it is due; a past date
  // only catches up (expired_at is still the real time of the change).
  if (!options.dryRun && asOf.getTime() > ctx.clock.now().getTime()) {
    throw ValidationFailed.field('as_of', 'a future date is only allowed with a dry run', 'as_of_in_future');
  }
  const total = await assignments.countAllocated(db);
  const batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
  const report: ExpiryReport = {
    checked: 0,
    due: 0,
    expired: 0,
    scrubbed: 0,
    dry_run: options.dryRun ?? false,
    as_of: asOf.toISOString(),
  };
  const factsByConfig = new Map<string, ConfigurationFacts>();
  let after: { created: Date; uuid: string } | null = null;
  for (;;) {
    const page = await assignments.allocatedPage(db, after, batchSize);
    if (page.length === 0) break;
    const last = page[page.length - 1] as AssignmentRow;
    after = { created: last.created, uuid: last.uuid };
    report.checked += page.length;

    for (const uuid of new Set(page.map((r) => r.assignment_configuration_uuid))) {
      if (factsByConfig.has(uuid)) continue;
      const config = await configurations.getById(db, uuid);
      if (config) factsByConfig.set(uuid, await configurationFacts(db, config));
    }
    const enrollBy = await enrollByDates(ctx, db, page);
    const due = new Map<string, { row: AssignmentRow; expiration: Expiration }[]>();
    for (const row of page) {
      const facts = factsByConfig.get(row.assignment_configuration_uuid) as ConfigurationFacts;
      const expiration = earliestPossibleExpiration(row, {
        subsidyExpiration: facts.subsidyExpiration,
        enrollBy: enrollBy.get(deadlineKey(row)) ?? null,
      });
      if (expiration.date.getTime() > asOf.getTime()) continue;
      report.due += 1;
      const list = due.get(row.assignment_configuration_uuid) ?? [];
      list.push({ row, expiration });
      due.set(row.assignment_configuration_uuid, list);
    }

    if (!options.dryRun) {
      for (const [configUuid, items] of due) {
        const facts = factsByConfig.get(configUuid) as ConfigurationFacts;
        const done = await ctx.db.transaction(async (trx) => {
          // The policy row first, as allocate, redeem and cancel take it: an assignment being
          // redeemed right now is either accepted before this reads it, or expired before.
          if (facts.policy) await policies().lock(trx, facts.policy.uuid);
          const now = ctx.clock.now();
          const expired = await assignments.transitionMany(
            trx,
            items.map((i) => i.row.uuid),
            'allocated',
            { state: 'expired', expired_at: now, learner_acknowledged: false, modified: now },
          );
          // A request's assignment is told about by the request's own expiry email.
          const toldElsewhere = await announceTransition(ctx, trx, { to: 'expired', assignments: expired });
          // Emailed at the address they had, before it is scrubbed.
          await emailAndRecord(
            ctx,
            trx,
            expired.filter((r) => !toldElsewhere.has(r.uuid)),
            { template: expiredEmail, action: 'expired', facts },
          );
          await recordDone(
            ctx,
            trx,
            expired.filter((r) => toldElsewhere.has(r.uuid)),
            'expired',
          );
          const timedOut = new Set(
            items.filter((i) => i.expiration.reason === 'NINETY_DAYS_PASSED').map((i) => i.row.uuid),
          );
          const scrubbed = await assignments.setEmails(
            trx,
            expired
              .filter((r) => timedOut.has(r.uuid))
              .map((r) => ({ uuid: r.uuid, email: retiredEmail(ctx.ids) })),
            now,
          );
          return { expired: expired.length, scrubbed };
        });
        report.expired += done.expired;
        report.scrubbed += done.scrubbed;
      }
    }
    options.onProgress?.(report.checked, Math.max(total, report.checked));
    if (page.length < batchSize) break;
  }
  return report;
}
