import type { Executor } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import { existingKeys, insertManyOnce, insertOnce } from './outbox.repository.js';
import type { OutboxRow } from './schema.js';
import type { EmailTemplate } from './template.js';

export interface SendEmailInput<C> {
  to: string;
  replyTo?: string | null;
  template: EmailTemplate<C>;
  context: C;
  /** The same key never queues a second message (a retried request, a re-run job). */
  idempotencyKey?: string | null;
  /** What the message reports on: its delivery outcome reaches the listener of this prefix. */
  ref?: string | null;
}

/**
 * Queues an email in the caller's transaction, so that a message exists if and only if the change
 * that caused it committed. It is rendered now, so that a template error fails the change, and the
 * outbox shows exactly what will be sent. Delivery happens later, outside any transaction.
 */
export async function sendEmail<C extends object>(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  input: SendEmailInput<C>,
): Promise<OutboxRow> {
  const rendered = input.template.render(input.context);
  return insertOnce(trx, {
    uuid: deps.ids.uuid(),
    idempotency_key: input.idempotencyKey ?? null,
    ref: input.ref ?? null,
    template: input.template.name,
    to_address: input.to,
    reply_to: input.replyTo ?? null,
    context: input.context as Record<string, unknown>,
    subject: rendered.subject,
    text_body: rendered.text,
    html_body: rendered.html,
    now: deps.clock.now(),
  });
}

/**
 * Queues many emails of one template in the caller's transaction with one statement (allocations
 * of thousands of learners). Returns how many were queued (repeated idempotency keys are skipped).
 */
export async function sendEmails<C extends object>(
  deps: { clock: Clock; ids: Ids },
  trx: Executor,
  template: EmailTemplate<C>,
  messages: Array<Omit<SendEmailInput<C>, 'template'>>,
): Promise<number> {
  const now = deps.clock.now();
  return insertManyOnce(
    trx,
    messages.map((m) => {
      const rendered = template.render(m.context);
      return {
        uuid: deps.ids.uuid(),
        idempotency_key: m.idempotencyKey ?? null,
        ref: m.ref ?? null,
        template: template.name,
        to_address: m.to,
        reply_to: m.replyTo ?? null,
        context: m.context as Record<string, unknown>,
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        now,
      };
    }),
  );
}

/** The idempotency keys among these that already queued a message (to skip work tied to the email). */
export async function queuedEmailKeys(db: Executor, keys: string[]): Promise<Set<string>> {
  return new Set(await existingKeys(db, keys));
}
