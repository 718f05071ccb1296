import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { listOutbox } from './list-outbox.js';
import { type OutboxMessage, outboxMessage, outboxQuery } from './notifications.schemas.js';
import type { OutboxRow } from './schema.js';

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    uuid: row.uuid,
    template: row.template,
    to: row.to_address,
    reply_to: row.reply_to,
    subject: row.subject,
    text_body: row.text_body,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
    created: row.created.toISOString(),
  };
}

export const notificationsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/outbox/',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Emails queued or sent by Campus (operators only)',
        querystring: outboxQuery,
        response: { 200: pageSchema(outboxMessage), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, rows } = await listOutbox(ctx, actor(request), {
        status: q.status,
        to: q.to,
        template: q.template,
        ...pageWindow(q),
      });
      return toPage(request, q, count, rows.map(toMessage));
    },
  );
};
