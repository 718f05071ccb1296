import type { AppContext } from './context.js';
import { pruneRateLimits } from './http/rate-limit.js';
import { LmsClient } from './lms/lms-client.js';
import { reconcileLmsFulfillments } from './modules/access/index.js';
import {
  expireAssignments,
  nudgeAcceptedAssignments,
  syncReversedAssignments,
} from './modules/assignments/index.js';
import { failStaleTransactions } from './modules/ledger/index.js';
import { deliverPending, smtpTransport } from './modules/notifications/index.js';
import { sendRequestDigests } from './modules/requests/index.js';
import { cancelLmsFulfillments, syncLmsUnenrollments } from './modules/subsidy/index.js';
import { runAudited } from './shared/audit.js';

export interface JobOptions {
  dryRun?: boolean;
  asOf?: Date;
  daysBeforeStart?: number;
  /** Progress of a long run (the CLI shows it on stderr). */
  onProgress?: (done: number, total: number) => void;
}

/** A background job: an idempotent function that `campus jobs <name>` and the scheduler both run. */
export interface Job {
  name: string;
  description: string;
  /** How often the in-process scheduler runs it; null = only on demand. */
  everyMs: number | null;
  /** Whether the scheduler should run it in this configuration. */
  enabled(ctx: AppContext): boolean;
  run(ctx: AppContext, options: JobOptions): Promise<Record<string, unknown>>;
}

export const jobs: Job[] = [
  {
    name: 'deliver-email',
    description: 'Send due messages from the outbox through SMTP (needs SMTP_URL)',
    everyMs: 10_000,
    enabled: (ctx) => ctx.config.smtpUrl !== null,
    async run(ctx) {
      if (!ctx.config.smtpUrl)
        throw new Error('SMTP_URL is not set: messages stay in the outbox (campus outbox list)');
      const transport = smtpTransport(ctx.config.smtpUrl);
      try {
        return { ...(await deliverPending(ctx, transport)) };
      } finally {
        transport.close();
      }
    },
  },
  {
    name: 'fail-stale-transactions',
    description:
      'Fail spends left created/pending past STALE_TRANSACTION_MINUTES, releasing their reservation; with LMS_URL, pending ones are asked of the LMS again and settled by its answer',
    everyMs: 60_000,
    enabled: () => true,
    async run(ctx, options) {
      const olderThanMs = ctx.config.staleTransactionMinutes * 60_000;
      if (!ctx.lms) {
        return {
          ...(await failStaleTransactions(ctx, { olderThanMs, asOf: options.asOf, dryRun: options.dryRun })),
        };
      }
      // A pending spend may have enrolled the learner in the LMS: only the LMS can settle it.
      const reconciled = await reconcileLmsFulfillments(ctx, {
        olderThanMs,
        asOf: options.asOf,
        dryRun: options.dryRun,
        onProgress: options.onProgress,
      });
      const stale = await failStaleTransactions(ctx, {
        olderThanMs,
        asOf: options.asOf,
        dryRun: options.dryRun,
        states: ['created'],
      });
      return { ...stale, reconciled };
    },
  },
  {
    name: 'expire-assignments',
    description:
      'Expire allocated assignments past their earliest possible expiration, releasing their amount (daily)',
    everyMs: 24 * 3600_000,
    enabled: () => true,
    async run(ctx, options) {
      const { checked, due, expired, scrubbed } = await expireAssignments(ctx, {
        asOf: options.asOf,
        dryRun: options.dryRun,
        onProgress: options.onProgress,
      });
      return { checked, due, expired, scrubbed };
    },
  },
  {
    name: 'prune-rate-limits',
    description: 'Delete rate-limit windows older than a day (hourly)',
    everyMs: 3600_000,
    enabled: () => true,
    async run(ctx, options) {
      const before = new Date((options.asOf ?? ctx.clock.now()).getTime() - 24 * 3600_000);
      if (options.dryRun) return { deleted: 0 };
      return { deleted: await pruneRateLimits(ctx.db.kysely, before) };
    },
  },
  {
    name: 'sync-lms-unenrollments',
    description:
      'Refund redemptions whose learner unenrolled in the LMS within the 14-day window, once (needs LMS_URL)',
    everyMs: 3600_000,
    enabled: (ctx) => ctx.config.lms !== null,
    async run(ctx, options) {
      if (!ctx.config.lms) throw new Error('LMS_URL is not set: there is no LMS to read unenrollments from');
      return {
        ...(await syncLmsUnenrollments(ctx, ctx.lms ?? new LmsClient(ctx.config.lms), {
          dryRun: options.dryRun,
          onProgress: options.onProgress,
        })),
      };
    },
  },
  {
    name: 'cancel-lms-fulfillments',
    description:
      'End in the LMS the enrollments whose redemptions were refunded in Campus, retrying until done (needs LMS_URL)',
    everyMs: 30_000,
    enabled: (ctx) => ctx.config.lms !== null,
    async run(ctx, options) {
      if (!ctx.config.lms) throw new Error('LMS_URL is not set: there is no LMS to cancel enrollments in');
      return {
        ...(await cancelLmsFulfillments(ctx, ctx.lms ?? new LmsClient(ctx.config.lms), {
          dryRun: options.dryRun,
        })),
      };
    },
  },
  {
    name: 'sync-reversed-assignments',
    description: 'Move accepted assignments whose redemption was reversed (refunded) to reversed',
    everyMs: 60_000,
    enabled: () => true,
    async run(ctx, options) {
      return { ...(await syncReversedAssignments(ctx, { dryRun: options.dryRun })) };
    },
  },
  {
    name: 'nudge-assignments',
    description:
      'Email accepted executive-education learners whose run starts in --days-before-start days (default 30)',
    everyMs: null,
    enabled: () => true,
    async run(ctx, options) {
      return {
        ...(await nudgeAcceptedAssignments(ctx, {
          daysBeforeStart: options.daysBeforeStart,
          dryRun: options.dryRun,
        })),
      };
    },
  },
  {
    name: 'request-digest',
    description:
      "Email each customer's admins the learner credit requests asked for since their last digest (daily)",
    everyMs: 24 * 3600_000,
    enabled: () => true,
    async run(ctx, options) {
      return { ...(await sendRequestDigests(ctx, { asOf: options.asOf, dryRun: options.dryRun })) };
    },
  },
];

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}

/**
 * Runs a job unless another process runs it right now (PostgreSQL advisory lock), so that any
 * number of Campus processes can share one database and its schedule.
 */
export async function runJob(
  ctx: AppContext,
  job: Job,
  options: JobOptions = {},
): Promise<{ ran: true; result: Record<string, unknown> } | { ran: false }> {
  const outcome = await ctx.db.exclusive(`job:${job.name}`, () =>
    runAudited({ actor: `system job:${job.name}`, clock: ctx.clock }, () => job.run(ctx, options)),
  );
  return outcome.ran ? { ran: true, result: outcome.value } : { ran: false };
}

/** Runs enabled jobs on their intervals inside `campus serve`. Returns a function that stops it. */
export function startScheduler(ctx: AppContext): () => Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    if (job.everyMs === null || !job.enabled(ctx)) continue;
    const tick = () => {
      if (stopped) return;
      const p = runJob(ctx, job)
        .then((r) => {
          if (r.ran) ctx.log.debug({ job: job.name, result: r.result }, 'job ran');
        })
        .catch((err) => ctx.log.error({ job: job.name, err }, 'job failed'))
        .finally(() => {
          running.delete(p);
          if (!stopped) timers.push(setTimeout(tick, job.everyMs ?? 0).unref());
        });
      running.add(p);
    };
    timers.push(setTimeout(tick, 1000).unref());
  }
  return async () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    await Promise.allSettled([...running]);
  };
}
