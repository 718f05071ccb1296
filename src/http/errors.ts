import { performance } from 'node:perf_hooks';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { runInRequest } from '../db/database-time.js';
import { DomainError } from '../shared/errors.js';

export interface ErrorBody {
  detail: string;
  error_code: string;
  errors?: Record<string, string[]>;
  request_id?: string;
  [extra: string]: unknown;
}

// Fastify's own 4xx errors (bad JSON, wrong content type, body too large, ...) as stable codes.
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

function fieldPath(instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  // zod reports a missing key on its parent object: name the key itself.
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  return [path, missing].filter(Boolean).join('.') || 'non_field_errors';
}

/**
 * Server-side codes and socket errors that mean PostgreSQL is gone or did not answer in time
 * (DATABASE_TIMEOUT_MS), not that the request is wrong.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown (also an immediate shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled: statement_timeout (Campus never cancels a query otherwise)
  '55P03', // lock_not_available: a lock_timeout set by an operator
  '25P03', // idle_in_transaction_session_timeout ended the session
  'CAMPUS_DATABASE_TIMEOUT', // src/db/database-time.ts: no answer, or no time left, within the bound
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// pg's own messages: the socket closed, the pool gave up waiting, or a client whose connection
// died was used again (Kysely's ROLLBACK after the failed statement reports this one).
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable/;

/** What a 503 tells the client to wait before retrying: a restart or a failover takes about this long. */
export const RETRY_AFTER_SECONDS = 5;

/** Postgres connection failures: the database is down or unreachable, not a bug in the request. */
function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 3) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (/^08/.test(code) || UNAVAILABLE_CODES.has(code))) return true;
  if (err instanceof Error && UNAVAILABLE_MESSAGES.test(err.message)) return true;
  // A connect to several addresses fails as an AggregateError; wrapped errors keep theirs as cause.
  const inner = [...(err instanceof AggregateError ? err.errors : []), (err as { cause?: unknown }).cause];
  return inner.some((e) => isDatabaseUnavailable(e, depth + 1));
}

/**
 * The one place where errors become HTTP responses: `{detail, error_code, ...}` and never a stack
 * trace (docs/decisions/0017-errors-as-error-codes.md).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  // The database time a request may use (DATABASE_TIMEOUT_MS) counts from its arrival: everything
  // the request does runs in a scope that src/db reads to bound each wait, and a request that used
  // the budget up ends here as 503 database_unavailable.
  app.addHook('onRequest', (_request, reply, done) => {
    runInRequest(performance.now() - reply.elapsedTime, done);
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors: Record<string, string[]> = {};
      for (const issue of err.validation) {
        const key = fieldPath(issue.instancePath, issue.params as Record<string, unknown>);
        // Body and query fields are named as they are sent (DRF style); path params and headers say so.
        const ctxName = err.validationContext;
        const prefix = ctxName === 'params' || ctxName === 'headers' ? `${ctxName}.` : '';
        const field = `${prefix}${key}`;
        errors[field] = [...(errors[field] ?? []), issue.message ?? 'is invalid'];
      }
      const body: ErrorBody = { detail: 'The request is invalid.', error_code: 'validation_failed', errors };
      return reply.status(400).send(body);
    }
    if (err instanceof DomainError) {
      const body: ErrorBody = { ...err.extra, detail: err.message, error_code: err.errorCode };
      if (err.status === 401) reply.header('WWW-Authenticate', 'JWT realm="campus"');
      return reply.status(err.status).send(body);
    }
    if (isDatabaseUnavailable(err)) {
      request.log.error({ err }, 'database unavailable');
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return reply.status(503).send({
        detail: 'The database is unavailable; try again shortly.',
        error_code: 'database_unavailable',
        request_id: request.id,
      } satisfies ErrorBody);
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500 && !isResponseSerializationError(err)) {
      const code = (err.code && fastifyCodes[err.code]) ?? 'bad_request';
      return reply.status(status).send({ detail: err.message, error_code: code } satisfies ErrorBody);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      detail: 'Something went wrong on our side. Quote the request id when you report it.',
      error_code: 'internal_error',
      request_id: request.id,
    } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      detail: `No route for ${request.method} ${request.url}.`,
      error_code: 'not_found',
    };
    return reply.status(404).send(body);
  });
}
