import { z } from 'zod';

/** The error body every endpoint answers with: `{detail, error_code}` plus `errors` per field on 400. */
export const errorSchema = z
  .object({
    detail: z.string(),
    error_code: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
    request_id: z.string().optional(),
  })
  .loose();

/** Standard error responses to spread into a route's `response` map. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
} as const;

/** The answer of a rate-limited route over its limit (with a Retry-After header). */
export const rateLimitedResponses = { 429: errorSchema } as const;
