import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { ErrorBody } from './errors.js';

// The errors Fastify raises before a route is chosen.
const codes: Record<string, string> = {
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_MAX_PARAM_LENGTH: 'path_parameter_too_long',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

/**
 * Errors Fastify meets before routing (a malformed percent-escape in the path, a path parameter
 * longer than `maxParamLength`) answered like every other error: `{detail, error_code}` and a
 * 400, since the path is bad input. Without this Fastify answers in its own shape (and with a
 * 414 for a long parameter). Passed to Fastify as its `frameworkErrors` option.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  err,
  _request,
  reply,
) => {
  const body: ErrorBody = { detail: err.message, error_code: codes[err.code] ?? 'bad_request' };
  // The option's reply type is generic over route schemas, which do not exist before routing.
  (reply as unknown as FastifyReply).status(400).send(body);
};
