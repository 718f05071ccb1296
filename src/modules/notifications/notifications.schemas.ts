import { z } from 'zod';
import { paginationQuery } from '../../http/pagination.js';

export const outboxQuery = paginationQuery.extend({
  status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(),
  to: z.string().optional(),
  template: z.string().optional(),
});
export type OutboxQuery = z.infer<typeof outboxQuery>;

export const outboxMessage = z.object({
  uuid: z.uuid(),
  template: z.string(),
  to: z.string(),
  reply_to: z.string().nullable(),
  subject: z.string(),
  text_body: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: z.iso.datetime(),
  sent_at: z.iso.datetime().nullable(),
  created: z.iso.datetime(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;
