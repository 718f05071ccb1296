import nodemailer from 'nodemailer';
import type { AppContext } from '../../context.js';
import { claimDue, markAttemptFailed, markSent } from './outbox.repository.js';
import { announceOutcome } from './outcomes.js';

export interface OutgoingMail {
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transporter.sendMail({ ...mail, replyTo: mail.replyTo ?? undefined });
    },
    close: () => transporter.close(),
  };
}

export interface DeliveryOptions {
  batchSize?: number;
  /** After this many failed attempts a message is marked `failed` and left for an operator. */
  maxAttempts?: number;
  /** How long a claim lasts before another worker may take the message over (a crashed worker). */
  claimMs?: number;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

/** 30 s, 1 min, 2 min, ... capped at 6 h. */
export function backoffMs(attempt: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}

/**
 * Sends every due message. Claims a batch in a short transaction, then talks to SMTP with no
 * transaction open, then records each outcome. A message is sent at least once: a worker killed
 * between the send and the record leaves it to be claimed again once its claim lapses.
 */
export async function deliverPending(
  ctx: AppContext,
  transport: MailTransport,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const { batchSize = 50, maxAttempts = 8, claimMs = 5 * 60_000 } = options;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const now = ctx.clock.now();
    const batch = await ctx.db.transaction((trx) =>
      claimDue(trx, now, new Date(now.getTime() + claimMs), batchSize),
    );
    if (batch.length === 0) return report;
    for (const message of batch) {
      try {
        await transport.send({
          from: ctx.config.emailFrom,
          to: message.to_address,
          replyTo: message.reply_to,
          subject: message.subject,
          text: message.text_body,
          html: message.html_body,
          messageId: `<${message.uuid}@campus>`,
        });
        const at = ctx.clock.now();
        await ctx.db.transaction(async (trx) => {
          await markSent(trx, message.uuid, at);
          if (message.ref) {
            await announceOutcome(trx, {
              outboxUuid: message.uuid,
              ref: message.ref,
              status: 'sent',
              error: null,
              at,
            });
          }
        });
        report.sent++;
      } catch (err) {
        const attempt = message.attempts + 1;
        const failed = attempt >= maxAttempts;
        const at = ctx.clock.now();
        const error = err instanceof Error ? err.message : String(err);
        await ctx.db.transaction(async (trx) => {
          await markAttemptFailed(trx, message.uuid, {
            status: failed ? 'failed' : 'pending',
            error,
            nextAttemptAt: new Date(at.getTime() + backoffMs(attempt)),
            now: at,
          });
          // Only the last failure is an outcome; until then the message is still on its way.
          if (failed && message.ref) {
            await announceOutcome(trx, {
              outboxUuid: message.uuid,
              ref: message.ref,
              status: 'failed',
              error,
              at,
            });
          }
        });
        if (failed) report.failed++;
        else report.retrying++;
        ctx.log.warn({ outbox: message.uuid, attempt, err }, 'email delivery failed');
      }
    }
    if (batch.length < batchSize) return report;
  }
}
